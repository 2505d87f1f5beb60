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

  private record Result(DevQuestion q, String outcome, String slug, double engineMs, boolean correct) {
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
    List<DevQuestion> set = DevQuestion.read(questions);
    if (url != null) {
      run(set, url, verbose);
      return;
    }
    try (BenchServer local = new BenchServer(Map.of())) {
      run(set, local.url(), verbose);
    }
  }

  private static void run(List<DevQuestion> set, String url, boolean verbose) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    // warm-up: class loading and first-use costs are not what a citizen waits for in a running server
    for (int i = 0; i < 10; i++) {
      ask(http, url, set.get(i % set.size()).text());
    }
    List<Result> results = new ArrayList<>();
    for (DevQuestion q : set) {
      JsonObject reply = ask(http, url, q.text());
      String outcome = reply.getString("outcome");
      JsonArray articles = reply.getJsonArray("articles");
      String slug = articles.isEmpty() ? "-" : articles.getJsonObject(0).getString("slug");
      boolean correct = q.correct(outcome, slug);
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
    byKind.forEach((kind, rs) -> System.out.println(line(DevQuestion.kindLabel(kind), rs)));
    double[] times = results.stream().mapToDouble(Result::engineMs).sorted().toArray();
    System.out.printf(Locale.ROOT, "server-side turn latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        DevQuestion.percentile(times, 50), DevQuestion.percentile(times, 99), times[times.length - 1]);
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

}
