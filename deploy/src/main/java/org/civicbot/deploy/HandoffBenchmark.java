package org.civicbot.deploy;

import io.vertx.core.json.JsonObject;
import org.civicbot.knowledge.db.EmbeddedPostgresServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench-handoff}: the time from an agent's send to the citizen's WebSocket, on one replica and across two. It
 * starts one PostgreSQL and two CivicBot processes on it (A and B), hands {@code --conversations} web chats over to a
 * person on A with the citizen's WebSocket held by A, lets an agent claim them and then sends {@code --messages}
 * agent messages at {@code --rate} a second (Poisson arrivals, open loop), first through A (same process: the push is
 * delivered in the process) and then through B (across processes: NOTIFY, PgSubscriber on A, A reads the event row
 * and pushes). Latency runs from just before the agent's HTTP request to the frame's arrival at the citizen's socket,
 * both measured on this process's clock; the widget's rendering (a few milliseconds) is not included.
 */
final class HandoffBenchmark {
  private static final Pattern SEQUENCE = Pattern.compile("#(\\d+)");
  private static final Duration LOST_AFTER = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int messages;
  private final int conversations;
  private final double rate;

  private HandoffBenchmark(int messages, int conversations, double rate) {
    this.messages = messages;
    this.conversations = conversations;
    this.rate = rate;
  }

  static void main(String[] args) throws Exception {
    int messages = 400;
    int conversations = 20;
    double rate = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--messages" -> messages = Integer.parseInt(args[++i]);
        case "--conversations" -> conversations = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; bench-handoff [--messages N] [--conversations C] [--rate R]");
      }
    }
    new HandoffBenchmark(messages, conversations, rate).run();
  }

  private void run() throws Exception {
    Path pgDir = Files.createTempDirectory("civicbot-bench-handoff-pg");
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(pgDir)) {
      Map<String, String> shared = Map.of("CIVICBOT_DATABASE_URL", postgres.url());
      // one after the other: the first migrates the database and stores the sample knowledge base
      try (ChildServer a = ChildServer.start("512m", Optional.empty(), shared);
           ChildServer b = ChildServer.start("512m", Optional.empty(), shared)) {
        System.out.printf("Handoff push benchmark: %d agent messages at %.0f/s over %d handed-off conversations,"
            + " citizens' WebSockets on replica A%n", messages, rate, conversations);
        Latencies same = measure(a.url(), a.url());
        Latencies across = measure(a.url(), b.url());
        System.out.println("agent's send to the citizen's WebSocket (ms):");
        System.out.println("  same process    (agent on A) " + same.summary(50, 95, 99));
        System.out.println("  across processes (agent on B) " + across.summary(50, 95, 99));
      }
    } finally {
      try (var paths = Files.walk(pgDir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Hands conversations over on {@code citizenUrl}, lets an agent on {@code agentUrl} write to them, times pushes. */
  private Latencies measure(String citizenUrl, String agentUrl) throws Exception {
    Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
    Latencies latencies = new Latencies();
    AtomicInteger received = new AtomicInteger();
    List<String> ids = new ArrayList<>();
    List<WebSocket> sockets = new ArrayList<>();
    for (int i = 0; i < conversations; i++) {
      String id = post(citizenUrl, "/api/v1/conversations", new JsonObject().put("lang", "en"), false)
          .getString("id");
      String outcome = post(citizenUrl, "/api/v1/conversations/" + id + "/messages",
          new JsonObject().put("text", "I want to talk to a person"), false).getString("outcome");
      if (!"handoff".equals(outcome)) {
        throw new IllegalStateException("asking for a person gave " + outcome + ", not handoff");
      }
      BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
      sockets.add(http.newWebSocketBuilder().buildAsync(URI.create(citizenUrl.replace("http:", "ws:")
          + "/api/v1/conversations/" + id + "/events"), new Listener(subscribed, sentAt, latencies, received))
          .get(10, TimeUnit.SECONDS));
      if (subscribed.poll(10, TimeUnit.SECONDS) == null) {
        throw new IllegalStateException("the citizen's WebSocket was not subscribed within 10 s");
      }
      post(agentUrl, "/api/v1/admin/handoffs/" + id + "/claim", new JsonObject().put("agent", "Mette"), true);
      ids.add(id);
    }
    Random random = new Random(42);
    int warmup = Math.min(20, messages / 10);
    long next = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> sends = new ArrayList<>();
    for (int k = 0; k < warmup + messages; k++) {
      next += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      String id = ids.get(k % ids.size());
      int sequence = k < warmup ? -1 - k : k - warmup;
      sentAt.put(sequence, System.nanoTime());
      sends.add(http.sendAsync(request(agentUrl, "/api/v1/admin/conversations/" + id + "/messages",
          new JsonObject().put("text", "Message #" + sequence + " from the agent").put("agent", "Mette"), true),
          HttpResponse.BodyHandlers.ofString()));
    }
    int refused = 0;
    for (CompletableFuture<HttpResponse<String>> send : sends) {
      if (send.get(30, TimeUnit.SECONDS).statusCode() != 202) {
        refused++;
      }
    }
    long deadline = System.nanoTime() + LOST_AFTER.toNanos();
    while (received.get() < messages && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    sockets.forEach(s -> s.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
    for (String id : ids) {
      post(agentUrl, "/api/v1/admin/handoffs/" + id + "/close", new JsonObject().put("agent", "Mette"), true);
    }
    if (refused > 0 || received.get() < messages) {
      System.out.printf("  %s -> %s: %d sends refused, %d of %d messages not pushed within %d s%n", agentUrl,
          citizenUrl, refused, messages - received.get(), messages, LOST_AFTER.toSeconds());
    }
    synchronized (latencies) {
      return latencies;
    }
  }

  private JsonObject post(String url, String path, JsonObject body, boolean staff)
      throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request(url, path, body, staff), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return new JsonObject(response.body());
  }

  private static HttpRequest request(String url, String path, JsonObject body, boolean staff) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (staff) {
      builder.header("authorization", "Bearer " + ChildServer.ADMIN_TOKEN);
    }
    return builder.build();
  }

  /** The citizen's socket: notes the subscription, and times every agent message by its sequence number. */
  private record Listener(BlockingQueue<String> subscribed, Map<Integer, Long> sentAt, Latencies latencies,
                          AtomicInteger received) implements WebSocket.Listener {
    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      long arrived = System.nanoTime();
      JsonObject event = new JsonObject(data.toString());
      if ("subscribed".equals(event.getString("type"))) {
        subscribed.add("subscribed");
      } else if ("message".equals(event.getString("type")) && "agent".equals(event.getString("from"))) {
        Matcher m = SEQUENCE.matcher(event.getString("text", ""));
        Long sent = m.find() ? sentAt.get(Integer.parseInt(m.group(1))) : null;
        if (sent != null) {
          synchronized (latencies) {
            latencies.add((arrived - sent) / 1_000);
          }
          received.incrementAndGet();
        }
      }
      socket.request(1);
      return null;
    }
  }
}
