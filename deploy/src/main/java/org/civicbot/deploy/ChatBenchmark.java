package org.civicbot.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The end-to-end benchmark of the chat against a running server ({@code --url}) or one started here. Each file is
 * read by its header: a question set ({@code id lang expected question}) asks every question in a fresh conversation
 * with no language hint and prints the share of correct outcomes overall, per language and per class, and emergency
 * recall; a multi-turn set ({@code conv turn lang expected text}) plays each conversation in order and prints correct
 * turns, follow-ups and topic changes; a safety set ({@code id lang expected text}, EMERGENCY or HARMLESS) prints
 * emergency recall and false alarms. Then the server-side turn latency (the engine time in {@code Server-Timing}).
 * A benchmark, not a test.
 */
public final class ChatBenchmark {

  private record Result(String id, String lang, String kind, String expected, String text, String outcome,
                        String slug, double engineMs, boolean correct) {
  }

  private ChatBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    List<Path> files = new ArrayList<>();
    String url = null;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--verbose" -> verbose = true;
        default -> files.add(Path.of(args[i]));
      }
    }
    if (files.isEmpty()) {
      files.add(Path.of("../shared/eval/dev-questions.tsv"));
    }
    List<EvalSet> sets = new ArrayList<>();
    for (Path file : files) {
      sets.add(EvalSet.read(file));
    }
    if (url != null) {
      run(sets, url, verbose);
      return;
    }
    try (BenchServer local = new BenchServer(Map.of())) {
      run(sets, local.url(), verbose);
    }
  }

  private static void run(List<EvalSet> sets, String url, boolean verbose) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    // warm-up: class loading and first-use costs are not what a citizen waits for in a running server
    for (String text : List.of("hello", "passport", "pas", "parking", "affald", "tax", "skat", "library", "bibliotek",
        "how do I pay")) {
      Conversation c = Conversation.start(http, url);
      c.say(text);
    }
    List<Double> times = new ArrayList<>();
    for (EvalSet set : sets) {
      List<Result> results = set.multiTurn() ? playConversations(http, url, set) : askEach(http, url, set);
      results.forEach(r -> times.add(r.engineMs()));
      if (verbose) {
        results.stream().filter(r -> !r.correct()).forEach(r -> System.out.printf(Locale.ROOT,
            "MISS %s %s expected %-22s got %-9s %-22s | %s%n", r.id(), r.lang(), r.expected(), r.outcome(),
            r.slug(), r.text()));
      }
      report(set, results, url);
    }
    double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(Locale.ROOT, "server-side turn latency (%d turns): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        sorted.length, DevQuestion.percentile(sorted, 50), DevQuestion.percentile(sorted, 99),
        sorted[sorted.length - 1]);
  }

  private static List<Result> askEach(HttpClient http, String url, EvalSet set) throws Exception {
    List<Result> results = new ArrayList<>();
    for (EvalSet.Row row : set.rows()) {
      Conversation c = Conversation.start(http, url);
      JsonObject reply = c.say(row.text());
      results.add(result(row, row.kind(), reply));
    }
    return results;
  }

  private static List<Result> playConversations(HttpClient http, String url, EvalSet set) throws Exception {
    List<Result> results = new ArrayList<>();
    Conversation c = null;
    String conv = null;
    String previousExpected = null;
    for (EvalSet.Row row : set.rows()) {
      if (!row.conv().equals(conv)) {
        c = Conversation.start(http, url);
        conv = row.conv();
        previousExpected = null;
      }
      String kind = previousExpected == null ? "first turn"
          : row.kind().equals("IN_SCOPE") && row.expected().equals(previousExpected) ? "follow-up"
          : row.kind().equals("IN_SCOPE") ? "topic change" : "other turn (" + row.kind().toLowerCase(Locale.ROOT) + ")";
      JsonObject reply = c.say(row.text());
      results.add(result(row, kind, reply));
      previousExpected = row.expected();
    }
    return results;
  }

  private static Result result(EvalSet.Row row, String kind, JsonObject reply) {
    String outcome = reply.getString("outcome");
    JsonArray articles = reply.getJsonArray("articles");
    String slug = articles == null || articles.isEmpty() ? "-" : articles.getJsonObject(0).getString("slug");
    return new Result(row.id(), row.lang(), kind, row.expected(), row.text(), outcome, slug,
        reply.getDouble("engineMs"), row.correct(outcome, slug));
  }

  private static void report(EvalSet set, List<Result> results, String url) {
    System.out.printf(Locale.ROOT, "%s: %d %s through %s/api/v1%n", set.file().getFileName(), results.size(),
        set.multiTurn() ? "turns of multi-turn conversations" : "messages, a fresh conversation each, no language hint",
        url);
    System.out.println(line("overall", results));
    Map<String, List<Result>> byLang = new TreeMap<>();
    results.forEach(r -> byLang.computeIfAbsent(r.lang(), k -> new ArrayList<>()).add(r));
    byLang.forEach((lang, rs) -> System.out.println(line("lang " + lang, rs)));
    Map<String, List<Result>> byKind = new TreeMap<>();
    results.forEach(r -> byKind.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(r));
    byKind.forEach((kind, rs) -> System.out.println(line(DevQuestion.kindLabel(kind), rs)));
    List<Result> emergencies = results.stream().filter(r -> r.expected().equals("emergency")).toList();
    if (!emergencies.isEmpty()) {
      System.out.println(line("emergency recall", emergencies));
    }
    Predicate<Result> alarm = r -> "emergency".equals(r.slug()) && r.outcome().equals("answered");
    List<Result> notEmergency = results.stream()
        .filter(r -> !r.expected().equals("emergency") && !r.expected().equals("EMERGENCY")).toList();
    long falseAlarms = notEmergency.stream().filter(alarm).count();
    System.out.printf(Locale.ROOT, "  %-26s %d of %d%n", "emergency false alarms", falseAlarms, notEmergency.size());
  }

  private static String line(String label, List<Result> rs) {
    long ok = rs.stream().filter(Result::correct).count();
    return String.format(Locale.ROOT, "  %-26s %5.1f %% (%d/%d)", label, 100.0 * ok / rs.size(), ok, rs.size());
  }

  /** One conversation through the chat API. */
  private record Conversation(HttpClient http, String url, String id) {

    static Conversation start(HttpClient http, String url) throws IOException, InterruptedException {
      HttpResponse<String> created = http.send(post(url + "/api/v1/conversations",
          new JsonObject().put("channel", "web").put("lang", (String) null)), HttpResponse.BodyHandlers.ofString());
      if (created.statusCode() != 201) {
        throw new IllegalStateException("could not start a conversation: " + created.statusCode() + " "
            + created.body());
      }
      return new Conversation(http, url, new JsonObject(created.body()).getString("id"));
    }

    JsonObject say(String text) throws IOException, InterruptedException {
      HttpResponse<String> reply = http.send(post(url + "/api/v1/conversations/" + id + "/messages",
          new JsonObject().put("text", text)), HttpResponse.BodyHandlers.ofString());
      if (reply.statusCode() != 200) {
        throw new IllegalStateException("message failed: " + reply.statusCode() + " " + reply.body());
      }
      String timing = reply.headers().firstValue("server-timing").orElse("engine;dur=NaN");
      double ms = Double.parseDouble(timing.substring(timing.indexOf("dur=") + 4));
      return new JsonObject(reply.body()).put("engineMs", ms);
    }
  }

  private static HttpRequest post(String url, JsonObject body) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
  }
}
