package org.civicbot.deploy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end-to-end benchmark of the chat: every question of a question set through the chat API, each in a fresh
 * conversation with no language hint, against a running server ({@code --url}) or one started here. Prints the share
 * of correct outcomes overall and per language, in-scope top-1, out-of-scope declined, handoff and smalltalk
 * recognized, and the server-side turn latency (the engine time the server reports in {@code Server-Timing}).
 * A benchmark, not a test.
 */
public final class ChatBenchmark {

  private record Question(String id, String lang, String expected, String text) {
    String kind() {
      return switch (expected) {
        case "OUT_OF_SCOPE", "HANDOFF", "SMALLTALK" -> expected;
        default -> "IN_SCOPE";
      };
    }
  }

  private record Result(Question q, String outcome, String slug, double engineMs, boolean correct) {
  }

  private ChatBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Path questions = Path.of("../shared/eval/dev-questions.tsv");
    String url = null;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--verbose" -> verbose = true;
        default -> questions = Path.of(args[i]);
      }
    }
    List<Question> set = read(questions);
    CivicBot local = null;
    Vertx vertx = null;
    if (url == null) {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("CIVICBOT_PORT", "0");
      env.putIfAbsent("CIVICBOT_DATA_DIR", Files.createTempDirectory("civicbot-bench").toString());
      env.put("CIVICBOT_RATE_LIMIT_CLIENT", "1000000");
      env.put("CIVICBOT_RATE_LIMIT_CONVERSATION", "1000000");
      vertx = Vertx.vertx();
      local = CivicBot.start(Config.fromEnvironment(env), vertx).toCompletionStage().toCompletableFuture().join();
      local.whenReady().toCompletionStage().toCompletableFuture().join();
      url = "http://127.0.0.1:" + local.port();
    }
    try {
      run(set, url, verbose);
    } finally {
      if (local != null) {
        local.stop().toCompletionStage().toCompletableFuture().join();
        vertx.close();
      }
    }
  }

  private static void run(List<Question> set, String url, boolean verbose) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    // warm-up: class loading and first-use costs are not what a citizen waits for in a running server
    for (int i = 0; i < 10; i++) {
      ask(http, url, set.get(i % set.size()).text());
    }
    List<Result> results = new ArrayList<>();
    for (Question q : set) {
      JsonObject reply = ask(http, url, q.text());
      String outcome = reply.getString("outcome");
      JsonArray articles = reply.getJsonArray("articles");
      String slug = articles.isEmpty() ? "-" : articles.getJsonObject(0).getString("slug");
      boolean correct = switch (q.kind()) {
        case "OUT_OF_SCOPE" -> outcome.equals("fallback");
        case "HANDOFF" -> outcome.equals("handoff");
        case "SMALLTALK" -> outcome.equals("smalltalk");
        default -> outcome.equals("answered") && slug.equals(q.expected());
      };
      Result r = new Result(q, outcome, slug, reply.getDouble("engineMs"), correct);
      results.add(r);
      if (verbose && !correct) {
        System.out.printf(Locale.ROOT, "MISS %s %s expected %-22s got %-9s %-22s | %s%n", q.id(), q.lang(),
            q.expected(), outcome, slug, q.text());
      }
    }
    System.out.printf(Locale.ROOT, "Chat benchmark: %d questions through %s/api/v1 (fresh conversation each,"
        + " no language hint)%n", results.size(), url);
    System.out.println(line("overall", results));
    Map<String, List<Result>> byLang = new TreeMap<>();
    results.forEach(r -> byLang.computeIfAbsent(r.q().lang(), k -> new ArrayList<>()).add(r));
    byLang.forEach((lang, rs) -> System.out.println(line("lang " + lang, rs)));
    Map<String, List<Result>> byKind = new TreeMap<>();
    results.forEach(r -> byKind.computeIfAbsent(r.q().kind(), k -> new ArrayList<>()).add(r));
    byKind.forEach((kind, rs) -> System.out.println(line(switch (kind) {
      case "IN_SCOPE" -> "in-scope top-1 answered";
      case "OUT_OF_SCOPE" -> "out-of-scope declined";
      case "HANDOFF" -> "handoff recognized";
      default -> "smalltalk recognized";
    }, rs)));
    double[] times = results.stream().mapToDouble(Result::engineMs).sorted().toArray();
    System.out.printf(Locale.ROOT, "server-side turn latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        percentile(times, 50), percentile(times, 99), times[times.length - 1]);
  }

  private static String line(String label, List<Result> rs) {
    long ok = rs.stream().filter(Result::correct).count();
    return String.format(Locale.ROOT, "  %-26s %5.1f %% (%d/%d)", label, 100.0 * ok / rs.size(), ok, rs.size());
  }

  private static JsonObject ask(HttpClient http, String url, String text) throws IOException, InterruptedException {
    HttpResponse<String> created = http.send(post(url + "/api/v1/conversations",
        new JsonObject().put("channel", "web").put("lang", (String) null)), HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException("could not start a conversation: " + created.statusCode() + " "
          + created.body());
    }
    String id = new JsonObject(created.body()).getString("id");
    HttpResponse<String> reply = http.send(post(url + "/api/v1/conversations/" + id + "/messages",
        new JsonObject().put("text", text)), HttpResponse.BodyHandlers.ofString());
    if (reply.statusCode() != 200) {
      throw new IllegalStateException("message failed: " + reply.statusCode() + " " + reply.body());
    }
    String timing = reply.headers().firstValue("server-timing").orElse("engine;dur=NaN");
    double ms = Double.parseDouble(timing.substring(timing.indexOf("dur=") + 4));
    return new JsonObject(reply.body()).put("engineMs", ms);
  }

  private static HttpRequest post(String url, JsonObject body) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
  }

  private static double percentile(double[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static List<Question> read(Path tsv) throws IOException {
    List<Question> set = new ArrayList<>();
    for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
      String[] cols = line.split("\t");
      if (cols.length < 4 || cols[0].equals("id")) {
        continue;
      }
      set.add(new Question(cols[0], cols[1], cols[2], cols[3]));
    }
    if (set.isEmpty()) {
      throw new IllegalArgumentException("no questions in " + tsv);
    }
    return set;
  }
}
