package org.civicbot.deploy.phone;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * Twilio, as far as a CivicBot phone line can see it, speaking Twilio's public protocol: it signs webhook requests
 * with the account's auth token ({@code X-Twilio-Signature}: HMAC-SHA1 over the public URL and the sorted form
 * parameters), reads the TwiML answer, opens the Media Stream WebSocket the TwiML names and streams the caller's
 * audio as 20 ms mu-law frames in {@code media} messages, answers {@code mark}s once their audio has played, and
 * serves the REST endpoints the line calls ({@code Calls/{Sid}.json} updates and {@code Messages.json}), recording
 * what they were sent. The real Twilio cloud cannot be reached from tests and benchmarks; this double is the part
 * that replaces it.
 */
public final class TwilioSimulator implements AutoCloseable {
  public static final String ACCOUNT_SID = "AC00000000000000000000000000000001";
  public static final String AUTH_TOKEN = "simulated-auth-token-0123456789abcdef";
  public static final String PUBLIC_BASE_URL = "https://civicbot.example.org";

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer rest;
  /**
   * One client for every call's stream, held for the simulator's life: Vert.x closes a client (and its open
   * WebSockets) once it is garbage collected, which cut calls off mid-sentence when each call made its own.
   */
  private final WebSocketClient streams = vertx.createWebSocketClient(
      new io.vertx.core.http.WebSocketClientOptions().setMaxConnections(10_000));
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private int civicBotPort;
  /** REST requests received: path and form parameters. */
  public final List<RestRequest> restRequests = new CopyOnWriteArrayList<>();

  public record RestRequest(String path, Map<String, String> form, String authorization) {
  }

  public TwilioSimulator() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create());
    router.post("/2010-04-01/Accounts/:account/Calls/:call").handler(ctx -> {
      record(ctx);
      String sid = ctx.pathParam("call").replace(".json", "");
      ctx.response().putHeader("content-type", "application/json").end(new JsonObject()
          .put("sid", sid).put("account_sid", ACCOUNT_SID).put("status", "in-progress").encode());
    });
    router.post("/2010-04-01/Accounts/:account/Messages.json").handler(ctx -> {
      record(ctx);
      ctx.response().setStatusCode(201).putHeader("content-type", "application/json").end(new JsonObject()
          .put("sid", "SM" + "0".repeat(32)).put("account_sid", ACCOUNT_SID).put("status", "queued").encode());
    });
    rest = join(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  private void record(io.vertx.ext.web.RoutingContext ctx) {
    Map<String, String> form = new TreeMap<>();
    ctx.request().formAttributes().forEach(e -> form.put(e.getKey(), e.getValue()));
    restRequests.add(new RestRequest(ctx.request().path(), form, ctx.request().getHeader("authorization")));
  }

  /** Where the phone line should send its REST calls ({@code CIVICBOT_TWILIO_API_URL}). */
  public String restBaseUrl() {
    return "http://127.0.0.1:" + rest.actualPort();
  }

  public void civicBotPort(int port) {
    this.civicBotPort = port;
  }

  /** Twilio's request signature for {@code url} and form {@code params}, as its documentation defines it. */
  public static String sign(String authToken, String url, Map<String, String> params) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** POSTs a webhook form to {@code path} signed with {@code signingToken} (null: no signature header). */
  public HttpResponse<String> webhook(String path, Map<String, String> form, String signingToken) {
    StringBuilder body = new StringBuilder();
    form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + civicBotPort + path))
        .timeout(Duration.ofSeconds(10))
        .header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (signingToken != null) {
      request.header("X-Twilio-Signature", sign(signingToken, PUBLIC_BASE_URL + path, form));
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The form Twilio posts for an incoming call. */
  public static Map<String, String> incomingCallForm(String callSid, String from) {
    return Map.of("CallSid", callSid, "AccountSid", ACCOUNT_SID, "From", from, "To", "+4572100000",
        "CallStatus", "ringing", "Direction", "inbound");
  }

  /** Rings the line: the signed webhook, then the Media Stream its TwiML asks for. */
  public Call call(String callSid, String from) {
    HttpResponse<String> answer = webhook("/twilio/voice", incomingCallForm(callSid, from), AUTH_TOKEN);
    if (answer.statusCode() != 200) {
      throw new AssertionError("the voice webhook answered " + answer.statusCode() + ": " + answer.body());
    }
    return connect(answer.body(), callSid);
  }

  /** Opens the Media Stream a TwiML {@code <Connect><Stream>} names and sends {@code connected} and {@code start}. */
  public Call connect(String twiml, String callSid) {
    Matcher url = Pattern.compile("<Stream[^>]*url=\"([^\"]+)\"").matcher(twiml);
    if (!url.find()) {
      throw new AssertionError("TwiML without a Stream: " + twiml);
    }
    URI stream = URI.create(url.group(1));
    if (!stream.getScheme().equals("wss") || !stream.getHost().equals(URI.create(PUBLIC_BASE_URL).getHost())) {
      throw new AssertionError("the stream URL is not on the public host: " + stream);
    }
    JsonObject parameters = new JsonObject();
    Matcher p = Pattern.compile("<Parameter name=\"([^\"]+)\" value=\"([^\"]+)\"/>").matcher(twiml);
    while (p.find()) {
      parameters.put(p.group(1), p.group(2));
    }
    Call call = openStream(stream.getPath());
    call.send(new JsonObject().put("event", "connected").put("protocol", "Call").put("version", "1.0.0"));
    call.send(new JsonObject().put("event", "start").put("sequenceNumber", "1").put("streamSid", call.streamSid)
        .put("start", new JsonObject().put("accountSid", ACCOUNT_SID).put("streamSid", call.streamSid)
            .put("callSid", callSid).put("tracks", List.of("inbound"))
            .put("mediaFormat", new JsonObject().put("encoding", "audio/x-mulaw").put("sampleRate", 8000)
                .put("channels", 1))
            .put("customParameters", parameters)));
    return call;
  }

  /**
   * A raw Media Stream connection to the line, its handshake signed as Twilio signs it (over the stream's public
   * {@code wss://} URL), for protocol errors.
   */
  public Call openStream(String path) {
    return openStream(path, sign(AUTH_TOKEN, PUBLIC_BASE_URL.replaceFirst("^http", "ws") + path, Map.of()));
  }

  /** A Media Stream connection with {@code signature} on its handshake (null: none); fails when the line refuses. */
  public Call openStream(String path, String signature) {
    Call call = new Call();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(civicBotPort)
        .setURI(path);
    if (signature != null) {
      options.addHeader("X-Twilio-Signature", signature);
    }
    WebSocket ws = join(streams.connect(options));
    call.attach(ws);
    return call;
  }

  @Override
  public void close() {
    join(vertx.close());
  }

  private static <T> T join(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One call's Media Stream as Twilio holds it: what the line sent, and the caller's audio going in. */
  public final class Call {
    public final String streamSid = "MZ" + Long.toHexString(System.nanoTime()) + "0".repeat(16);
    public final List<Received> received = new CopyOnWriteArrayList<>();
    public volatile Short closeCode;
    private WebSocket ws;
    private int sequence = 1;

    /** A message from the line and when it arrived. */
    public record Received(JsonObject message, long nanos) {
      public String event() {
        return message.getString("event");
      }
    }

    void attach(WebSocket ws) {
      this.ws = ws;
      ws.textMessageHandler(text -> {
        JsonObject message = new JsonObject(text);
        received.add(new Received(message, System.nanoTime()));
        if ("mark".equals(message.getString("event"))) {
          // the frames before the mark were paced to real time, so their audio has played when the mark arrives
          send(new JsonObject().put("event", "mark").put("sequenceNumber", String.valueOf(++sequence))
              .put("streamSid", streamSid).put("mark", message.getJsonObject("mark")));
        }
      });
      ws.closeHandler(v -> closeCode = ws.closeStatusCode() == null ? -1 : ws.closeStatusCode());
    }

    public void send(JsonObject message) {
      ws.writeTextMessage(message.encode());
    }

    public void sendRaw(String text) {
      ws.writeTextMessage(text);
    }

    /** Streams mu-law audio as 20 ms frames; {@code realTime}: paced as a phone line delivers it. */
    public void play(byte[] ulaw, boolean realTime) {
      long start = System.nanoTime();
      for (int offset = 0, frame = 0; offset < ulaw.length; offset += 160, frame++) {
        byte[] chunk = java.util.Arrays.copyOfRange(ulaw, offset, Math.min(ulaw.length, offset + 160));
        if (ws.isClosed()) {
          return;
        }
        send(new JsonObject().put("event", "media").put("sequenceNumber", String.valueOf(++sequence))
            .put("streamSid", streamSid).put("media", new JsonObject().put("track", "inbound")
                .put("chunk", String.valueOf(frame)).put("timestamp", String.valueOf(frame * 20))
                .put("payload", Base64.getEncoder().encodeToString(chunk))));
        if (realTime) {
          long due = start + (frame + 1) * 20_000_000L;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            sleep(wait);
          }
        }
      }
    }

    /** Streams {@code millis} of mu-law silence. */
    public void silence(int millis, boolean realTime) {
      byte[] quiet = new byte[millis * 8];
      java.util.Arrays.fill(quiet, (byte) 0xFF);
      play(quiet, realTime);
    }

    public void dtmf(String digit) {
      send(new JsonObject().put("event", "dtmf").put("streamSid", streamSid)
          .put("sequenceNumber", String.valueOf(++sequence))
          .put("dtmf", new JsonObject().put("track", "inbound_track").put("digit", digit)));
    }

    public void stop() {
      send(new JsonObject().put("event", "stop").put("sequenceNumber", String.valueOf(++sequence))
          .put("streamSid", streamSid).put("stop", new JsonObject().put("accountSid", ACCOUNT_SID)));
    }

    public void hangUp() {
      ws.close();
    }

    public long count(String event) {
      return received.stream().filter(r -> event.equals(r.event())).count();
    }

    public List<Received> since(int index) {
      return new ArrayList<>(received.subList(index, received.size()));
    }

    /** Waits until a message matches, returning it. */
    public Received await(Predicate<Received> condition, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (Received r : received) {
          if (condition.test(r)) {
            return r;
          }
        }
        sleep(TimeUnit.MILLISECONDS.toNanos(20));
      }
      throw new AssertionError("no matching message within " + timeout + "; received: " + story());
    }

    /** What the line sent, runs of media frames counted: "857 media, mark reply-1 at 17.2 s, 513 media; closed 1000". */
    public String story() {
      StringBuilder out = new StringBuilder();
      long first = received.isEmpty() ? 0 : received.get(0).nanos();
      int media = 0;
      for (Received r : received) {
        if ("media".equals(r.event())) {
          media++;
          continue;
        }
        if (media > 0) {
          out.append(media).append(" media, ");
          media = 0;
        }
        out.append(r.event());
        if ("mark".equals(r.event())) {
          out.append(' ').append(r.message().getJsonObject("mark").getString("name"));
        }
        out.append(String.format(Locale.ROOT, " at %.1f s, ", (r.nanos() - first) / 1e9));
      }
      if (media > 0) {
        out.append(media).append(" media");
      }
      return out + (closeCode == null ? "; stream open" : "; stream closed (" + closeCode + ")");
    }

    /** Waits for the mark that ends reply number {@code n} (the greeting is reply 1). */
    public Received awaitMark(int n, Duration timeout) {
      return await(r -> "mark".equals(r.event())
          && ("reply-" + n).equals(r.message().getJsonObject("mark").getString("name")), timeout);
    }

    public void awaitClose(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (closeCode == null && System.nanoTime() < deadline) {
        sleep(TimeUnit.MILLISECONDS.toNanos(20));
      }
      if (closeCode == null) {
        throw new AssertionError("the line did not close the stream within " + timeout);
      }
    }
  }

  private static void sleep(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
