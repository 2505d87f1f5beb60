package org.civicbot.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.bot.intent.IntentMatcher;
import org.civicbot.bot.PhoneTexts;
import org.civicbot.channels.phone.audio.MuLaw;
import org.civicbot.channels.phone.audio.Resampler;
import org.civicbot.channels.phone.speech.SpeechRecognizer;
import org.civicbot.channels.phone.speech.VoskSpeechRecognizer;
import org.civicbot.deploy.phone.CallerVoice;
import org.civicbot.deploy.phone.TwilioSimulator;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.imports.ArticleFolder;
import org.vosk.LibVosk;
import org.vosk.Model;
import org.vosk.Recognizer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The phone line's benchmarks (not tests), on the English questions of an evaluation set spoken by espeak-ng:
 * <ol>
 *   <li>{@code recognition}: word error rate and real-time factor of the line's recognizer (Vosk with the knowledge
 *   base's phrase grammar) on clean 16 kHz speech and on the same speech through 8 kHz mu-law, and, for comparison,
 *   of full-vocabulary decoding;</li>
 *   <li>{@code calls}: every question as a call through a Twilio simulator to a CivicBot started here: the share of
 *   correct outcomes, and the time from the end of the caller's speech to the first reply audio frame;</li>
 *   <li>{@code capacity}: growing numbers of simultaneous calls, each asking another question: reply latency and the
 *   largest gap between reply frames, to find how many calls one machine serves in real time;</li>
 *   <li>{@code soak} (only when asked for): simultaneous callers for minutes with barge-in and hang-ups in the middle
 *   of recognition; the calls that did not go as scripted, latency, and whether the server is still up.</li>
 * </ol>
 * {@code java -jar civicbot.jar bench-phone [QUESTIONS.tsv] [--part recognition|calls|capacity|soak] [--max-calls N]
 * [--soak-calls N] [--minutes M]}
 */
public final class PhoneBenchmark {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Capacity criteria: the load may delay the start of a reply by at most this much (p95) ... */
  private static final double MAX_ADDED_LATENCY_MS = 500;
  /** ... and its frames must not stall longer than this (a phone's jitter buffer would run dry). */
  private static final double MAX_FRAME_GAP_MS = 200;

  /** Ways of asking for a person on the phone (not the intent examples' own sentences). */
  private static final List<String> PERSON_REQUESTS = List.of("i would like to talk to a person",
      "can i speak to someone please", "put me through to a member of staff", "i want to talk to a human",
      "can i talk to an agent", "i need to speak to a real person", "could you connect me to customer service",
      "let me talk to somebody", "i want a human not a robot", "can i have a caseworker call me",
      "transfer me to an operator", "is there anyone i can talk to");

  private PhoneBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Path tsv = Path.of("../shared/eval/dev-questions.tsv");
    String part = "all";
    int maxCalls = 20;
    int soakCallers = 10;
    int soakMinutes = 10;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--part" -> part = args[++i];
        case "--max-calls" -> maxCalls = Integer.parseInt(args[++i]);
        case "--soak-calls" -> soakCallers = Integer.parseInt(args[++i]);
        case "--minutes" -> soakMinutes = Integer.parseInt(args[++i]);
        case "--verbose" -> verbose = true;
        default -> tsv = Path.of(args[i]);
      }
    }
    List<DevQuestion> english = DevQuestion.read(tsv).stream().filter(q -> q.lang().equals("en")).toList();
    System.out.printf(Locale.ROOT, "Phone benchmark: %d English questions from %s, spoken by espeak-ng (en-us)%n",
        english.size(), tsv);
    if (part.equals("all") || part.equals("recognition")) {
      recognition(english, verbose);
    }
    if (part.equals("all") || part.equals("calls") || part.equals("capacity") || part.equals("soak")) {
      try (TwilioSimulator twilio = new TwilioSimulator();
           BenchServer server = new BenchServer(Map.of(
               "TWILIO_ACCOUNT_SID", TwilioSimulator.ACCOUNT_SID,
               "TWILIO_AUTH_TOKEN", TwilioSimulator.AUTH_TOKEN,
               "PUBLIC_BASE_URL", TwilioSimulator.PUBLIC_BASE_URL,
               "CIVICBOT_TWILIO_API_URL", twilio.restBaseUrl(),
               "CIVICBOT_PHONE_LANGUAGE", "en",
               "CIVICBOT_PHONE_TRANSFER_NUMBER", "+4572100099",
               "CIVICBOT_PHONE_HOURS", "always",
               "CIVICBOT_PHONE_MAX_CALLS", "1000",
               "CIVICBOT_ADMIN_TOKEN", "bench-admin-token-0123456789"))) {
        twilio.civicBotPort(server.bot.port());
        if (part.equals("all") || part.equals("calls")) {
          calls(english, twilio, server, verbose);
        }
        if (part.equals("all") || part.equals("capacity")) {
          capacity(english, twilio, server, maxCalls);
        }
        if (part.equals("soak")) {
          soak(english, twilio, server, soakCallers, soakMinutes);
        }
      }
    }
    System.exit(0);
  }

  // ---- 1. recognition -----------------------------------------------------------------------------------------

  private static void recognition(List<DevQuestion> questions, boolean verbose) throws Exception {
    Path modelDir = Config.fromEnvironment(System.getenv()).voskModels().get(Language.EN);
    List<String> phrases = samplePhrases();
    VoskSpeechRecognizer line = VoskSpeechRecognizer.load(Map.of(Language.EN, modelDir), (t, l) -> phrases, l -> List.of());
    LibVosk.vosk_set_log_level(-2);
    Model fullModel = new Model(modelDir.toString());
    int fullCount = Math.min(30, questions.size());
    Map<String, Score> scores = new LinkedHashMap<>();
    for (String condition : List.of("grammar, clean 16 kHz", "grammar, 8 kHz mu-law", "full vocabulary, clean 16 kHz",
        "full vocabulary, 8 kHz mu-law")) {
      scores.put(condition, new Score());
    }
    SpeechRecognizer.Recognition grammar = line.open("bench", Language.EN);
    for (int i = 0; i < questions.size(); i++) {
      DevQuestion q = questions.get(i);
      byte[] wav = CallerVoice.wav(q.text());
      short[] clean = MuLaw.pcm16le(CallerVoice.sox(wav, List.of("-r", "16000", "-c", "1", "-b", "16", "-e", "signed", "-t",
          "raw", "-")));
      short[] phone = Resampler.resample(MuLaw.decode(CallerVoice.sox(wav, List.of("-r", "8000", "-c", "1", "-t",
          "ul", "-"))), 8_000, 16_000);
      for (boolean viaPhone : new boolean[] {false, true}) {
        short[] audio = viaPhone ? phone : clean;
        long start = System.nanoTime();
        grammar.accept(audio);
        String heard = grammar.finish().text();
        scores.get(viaPhone ? "grammar, 8 kHz mu-law" : "grammar, clean 16 kHz")
            .add(q.text(), heard, audio.length / 16_000.0, System.nanoTime() - start);
        if (verbose) {
          System.out.printf(Locale.ROOT, "  %s %-5s %s%n     heard: %s%n", q.id(), viaPhone ? "phone" : "clean",
              q.text(), heard);
        }
        if (i < fullCount) {
          long t0 = System.nanoTime();
          String full;
          try (Recognizer r = new Recognizer(fullModel, 16_000)) {
            r.acceptWaveForm(audio, audio.length);
            full = new JsonObject(r.getFinalResult()).getString("text", "");
          }
          scores.get(viaPhone ? "full vocabulary, 8 kHz mu-law" : "full vocabulary, clean 16 kHz")
              .add(q.text(), full, audio.length / 16_000.0, System.nanoTime() - t0);
        }
      }
    }
    // requests for a person: heard through the phone line and recognized as one by the engine's intents
    IntentMatcher intents = IntentMatcher.bundled();
    int handedOff = 0;
    for (String request : PERSON_REQUESTS) {
      short[] phone = Resampler.resample(MuLaw.decode(CallerVoice.say(request)), 8_000, 16_000);
      SpeechRecognizer.Hypothesis partial = grammar.accept(phone);
      String heard = ((partial.endpoint() ? partial.text() + " " : "") + grammar.finish().text()).strip();
      boolean human = intents.match(heard).has(org.civicbot.bot.intent.Intent.HUMAN);
      handedOff += human ? 1 : 0;
      if (verbose) {
        System.out.printf(Locale.ROOT, "    %s \"%s\" heard as \"%s\"%n", human ? "person" : "MISSED", request, heard);
      }
    }
    grammar.close();
    line.close();
    fullModel.close();
    System.out.printf(Locale.ROOT, "1a. Spoken requests for a person (8 kHz mu-law, grammar): %d of %d recognized as one%n",
        handedOff, PERSON_REQUESTS.size());
    System.out.println("1. Recognition (word error rate against the question text; real-time factor = decoding time"
        + " / audio time, one stream)");
    scores.forEach((condition, s) -> System.out.printf(Locale.ROOT,
        "  %-32s WER %5.1f %% over %d questions (%d words), real-time factor %.3f%n", condition,
        100.0 * s.errors / s.words, s.questions, s.words, s.seconds / s.audioSeconds));
  }

  /** The phrases the line's grammar gets for the sample knowledge base in English (as the running server builds). */
  private static List<String> samplePhrases() {
    List<String> phrases = new ArrayList<>(IntentMatcher.bundled().speakablePhrases(Language.EN));
    phrases.addAll(PhoneTexts.bundled().listeningPhrases(Language.EN));
    java.util.Set<String> words = new java.util.TreeSet<>();
    for (ArticleFolder.Entry e : ArticleFolder.readSample().entries()) {
      ArticleContent c = e.article().content();
      if (c.lang() != Language.EN) {
        continue;
      }
      phrases.add(c.title());
      phrases.addAll(c.questions());
      phrases.addAll(c.keywords());
      for (String text : List.of(c.title(), c.answer(), String.join(" ", c.questions()),
          String.join(" ", c.keywords()))) {
        words.addAll(Arrays.asList(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
      }
    }
    words.remove("");
    phrases.addAll(words);
    return phrases;
  }

  /** Word errors (substitutions, insertions, deletions) against normalized reference words. */
  private static final class Score {
    int questions;
    int words;
    int errors;
    double audioSeconds;
    double seconds;

    void add(String reference, String heard, double audio, long nanos) {
      List<String> ref = normalize(reference);
      List<String> hyp = normalize(heard);
      questions++;
      words += ref.size();
      errors += editDistance(ref, hyp);
      audioSeconds += audio;
      seconds += nanos / 1e9;
    }

    static List<String> normalize(String text) {
      return Arrays.stream(text.toLowerCase(Locale.ROOT).replaceAll("[^a-z' ]+", " ").split(" "))
          .filter(w -> !w.isBlank()).toList();
    }

    static int editDistance(List<String> a, List<String> b) {
      int[] previous = new int[b.size() + 1];
      int[] current = new int[b.size() + 1];
      for (int j = 0; j <= b.size(); j++) {
        previous[j] = j;
      }
      for (int i = 1; i <= a.size(); i++) {
        current[0] = i;
        for (int j = 1; j <= b.size(); j++) {
          int substitution = previous[j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1);
          current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
        }
        int[] swap = previous;
        previous = current;
        current = swap;
      }
      return previous[b.size()];
    }
  }

  // ---- 2. calls -----------------------------------------------------------------------------------------------

  /** What one call measured. */
  private record CallResult(DevQuestion q, String heard, String outcome, String slug, double latencyMs,
                            double maxGapMs) {
    boolean correct() {
      return q.correct(outcome, slug);
    }
  }

  private static void calls(List<DevQuestion> questions, TwilioSimulator twilio, BenchServer server,
                            boolean verbose) throws Exception {
    List<CallResult> results = runCalls(questions, twilio, server, 2, false);
    System.out.println("2./4. Every English question as a call (two calls at a time; the caller speaks over the"
        + " greeting)");
    long ok = results.stream().filter(CallResult::correct).count();
    System.out.printf(Locale.ROOT, "  correct outcomes            %5.1f %% (%d/%d)%n", 100.0 * ok / results.size(), ok,
        results.size());
    Map<String, List<CallResult>> byKind = new java.util.TreeMap<>();
    results.forEach(r -> byKind.computeIfAbsent(r.q().kind(), k -> new ArrayList<>()).add(r));
    byKind.forEach((kind, rs) -> {
      long good = rs.stream().filter(CallResult::correct).count();
      System.out.printf(Locale.ROOT, "  %-27s %5.1f %% (%d/%d)%n", DevQuestion.kindLabel(kind),
          100.0 * good / rs.size(), good, rs.size());
    });
    double[] latencies = results.stream().mapToDouble(CallResult::latencyMs).filter(l -> !Double.isNaN(l)).sorted()
        .toArray();
    System.out.printf(Locale.ROOT, "  end of speech to first reply frame: p50 %.0f ms, p95 %.0f ms, max %.0f ms"
            + " (%d calls)%n", DevQuestion.percentile(latencies, 50), DevQuestion.percentile(latencies, 95),
        latencies[latencies.length - 1], latencies.length);
    for (CallResult r : results) {
      if (verbose || !r.correct()) {
        System.out.printf(Locale.ROOT, "  %s %s %s expected %-22s got %-9s %-22s | %s%n     heard: %s%n",
            r.correct() ? "OK  " : "MISS", r.q().id(), r.q().lang(), r.q().expected(), r.outcome(), r.slug(),
            r.q().text(), r.heard());
      }
    }
  }

  // ---- 3. capacity --------------------------------------------------------------------------------------------

  private static void capacity(List<DevQuestion> questions, TwilioSimulator twilio, BenchServer server, int maxCalls)
      throws Exception {
    // Callers ask different questions, so their utterances end at different moments and the decoder takes different
    // paths (all callers asking one question hid a crash). How long Vosk waits for a question's end differs from
    // question to question, so each question's latency alone is measured first, and the load is judged by what it
    // adds to that.
    List<DevQuestion> inScope = questions.stream().filter(q -> q.kind().equals("IN_SCOPE")).toList();
    List<DevQuestion> set = new ArrayList<>();
    for (int i = 0; i < maxCalls; i++) {
      set.add(inScope.get(i * 7 % inScope.size()));
    }
    System.out.printf(Locale.ROOT, "3. Capacity: N simultaneous calls (starts spread over a second), each asking another"
        + " of %d questions (pass: every call answered, latency added by the load p95 <= %.0f ms, no reply frame gap"
        + " > %.0f ms)%n", set.size(), MAX_ADDED_LATENCY_MS, MAX_FRAME_GAP_MS);
    Map<String, Double> alone = new java.util.HashMap<>();
    for (CallResult r : runCalls(set, twilio, server, 1, false)) {
      alone.put(r.q().text(), r.latencyMs());
    }
    double[] baseline = alone.values().stream().mapToDouble(Double::doubleValue).filter(l -> !Double.isNaN(l))
        .sorted().toArray();
    System.out.printf(Locale.ROOT, "  each question alone: latency p50 %5.0f ms, p95 %5.0f ms%n",
        DevQuestion.percentile(baseline, 50), DevQuestion.percentile(baseline, 95));
    int best = 0;
    for (int n = 2; n <= maxCalls; n += 2) {
      List<CallResult> results = runCalls(set.subList(0, n), twilio, server, n, true);
      double[] latencies = results.stream().mapToDouble(CallResult::latencyMs).map(l -> Double.isNaN(l) ? 1e9 : l)
          .sorted().toArray();
      double[] added = results.stream().mapToDouble(r -> Double.isNaN(r.latencyMs()) ? 1e9
          : r.latencyMs() - alone.getOrDefault(r.q().text(), 0.0)).sorted().toArray();
      double maxGap = results.stream().mapToDouble(CallResult::maxGapMs).max().orElse(0);
      long replied = results.stream().filter(r -> !r.outcome().equals("-")).count();
      boolean pass = replied == n && DevQuestion.percentile(added, 95) <= MAX_ADDED_LATENCY_MS
          && maxGap <= MAX_FRAME_GAP_MS;
      System.out.printf(Locale.ROOT, "  %2d calls: %2d replied, latency p50 %5.0f ms, p95 %5.0f ms, added by load p50 %5.0f"
              + " ms, p95 %5.0f ms, max frame gap %4.0f ms  %s%n", n, replied, DevQuestion.percentile(latencies, 50),
          DevQuestion.percentile(latencies, 95), DevQuestion.percentile(added, 50), DevQuestion.percentile(added, 95),
          maxGap, pass ? "ok" : "over");
      results.stream().filter(r -> r.outcome().equals("-") || Double.isNaN(r.latencyMs())).forEach(r ->
          System.out.printf(Locale.ROOT, "     not replied: %s \"%s\" heard \"%s\" (%s)%n", r.q().id(), r.q().text(),
              r.heard(), r.outcome()));
      if (pass) {
        best = n;
      } else {
        break;
      }
    }
    System.out.printf(Locale.ROOT, "  simultaneous calls served in real time: %d%n", best);
  }

  // ---- 4. soak ------------------------------------------------------------------------------------------------

  private static void soak(List<DevQuestion> questions, TwilioSimulator twilio, BenchServer server, int callers,
                           int minutes) throws Exception {
    System.out.printf(Locale.ROOT, "4. Soak: %d simultaneous callers for %d minutes, calls scripted in turn: answered,"
        + " barge-in then hang-up, hang-up mid-sentence, hang-up right after speaking, 0 pressed%n", callers, minutes);
    List<byte[]> speech = new ArrayList<>();
    for (DevQuestion q : questions) {
      speech.add(CallerVoice.say(q.text()));
    }
    long start = System.nanoTime();
    List<org.civicbot.deploy.phone.PhoneSoak.CallResult> results = new org.civicbot.deploy.phone.PhoneSoak(twilio,
        speech, 20261202L).run(callers, Integer.MAX_VALUE, Duration.ofMinutes(minutes));
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] latencies = results.stream().mapToDouble(org.civicbot.deploy.phone.PhoneSoak.CallResult::latencyMs)
        .filter(l -> !Double.isNaN(l)).sorted().toArray();
    long failed = results.stream().filter(r -> !r.ok()).count();
    System.out.printf(Locale.ROOT, "  %d calls in %.0f s (%s); %d not as scripted%n", results.size(), seconds,
        org.civicbot.deploy.phone.PhoneSoak.summary(results), failed);
    results.stream().filter(r -> !r.ok()).limit(5).forEach(r -> System.out.printf(Locale.ROOT, "    %s %s: %s%n",
        r.script(), r.callSid(), r.failure()));
    System.out.printf(Locale.ROOT, "  answered calls: end of speech to first reply frame p50 %.0f ms, p95 %.0f ms%n",
        DevQuestion.percentile(latencies, 50), DevQuestion.percentile(latencies, 95));
    HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    System.out.printf(Locale.ROOT, "  server afterwards: /health %d%n", health.statusCode());
  }

  // ---- one call -----------------------------------------------------------------------------------------------

  private static List<CallResult> runCalls(List<DevQuestion> questions, TwilioSimulator twilio, BenchServer server,
                                           int concurrency, boolean staggered) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<CallResult>> futures = new ArrayList<>();
      for (int i = 0; i < questions.size(); i++) {
        DevQuestion q = questions.get(i);
        byte[] speech = CallerVoice.say(q.text());
        long delay = staggered ? (long) (Math.random() * 1_000) : 0;
        futures.add(pool.submit(() -> {
          Thread.sleep(delay);
          return call(q, speech, twilio, server);
        }));
      }
      List<CallResult> results = new ArrayList<>();
      for (Future<CallResult> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static CallResult call(DevQuestion q, byte[] speech, TwilioSimulator twilio, BenchServer server) {
    String sid = "CA" + Long.toHexString(System.nanoTime()) + Long.toHexString(Double.doubleToLongBits(Math.random()));
    TwilioSimulator.Call call = twilio.call(sid, "+4520000000");
    try {
      call.await(r -> "media".equals(r.event()), WAIT);
      call.play(speech, true);
      long speechEnd = System.nanoTime();
      call.silence(2_500, true);
      TwilioSimulator.Call.Received mark = call.await(r -> "mark".equals(r.event())
          && !r.message().getJsonObject("mark").getString("name").equals("reply-1"), WAIT);
      long clearAt = call.received.stream().filter(r -> "clear".equals(r.event())).mapToLong(
          TwilioSimulator.Call.Received::nanos).findFirst().orElse(Long.MAX_VALUE);
      List<TwilioSimulator.Call.Received> reply = call.received.stream()
          .filter(r -> "media".equals(r.event()) && r.nanos() > speechEnd && r.nanos() > clearAt
              && r.nanos() <= mark.nanos())
          .toList();
      double latency = reply.isEmpty() || clearAt == Long.MAX_VALUE ? Double.NaN
          : (reply.get(0).nanos() - speechEnd) / 1e6;
      double maxGap = 0;
      for (int i = 1; i < reply.size(); i++) {
        maxGap = Math.max(maxGap, (reply.get(i).nanos() - reply.get(i - 1).nanos()) / 1e6);
      }
      JsonObject turn = firstCitizenTurn(server, sid);
      String outcome = turn == null ? "-" : turn.getString("outcome", "-");
      JsonArray articles = turn == null ? new JsonArray() : turn.getJsonArray("articles", new JsonArray());
      return new CallResult(q, turn == null ? "" : turn.getString("text"), outcome,
          articles.isEmpty() ? "-" : articles.getString(0), latency, maxGap);
    } catch (AssertionError e) {
      String why = String.valueOf(e.getMessage());
      return new CallResult(q, "no reply: " + why.substring(0, Math.min(160, why.length())), "-", "-", Double.NaN, 0);
    } finally {
      call.stop();
    }
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static JsonObject firstCitizenTurn(BenchServer server, String callSid) {
    JsonArray found = admin(server, "/api/v1/admin/conversations?channel=phone&externalId=" + callSid)
        .getJsonArray("conversations");
    if (found.isEmpty()) {
      return null;
    }
    JsonObject transcript = admin(server, "/api/v1/admin/conversations/" + found.getJsonObject(0).getString("id"));
    return transcript.getJsonArray("turns").stream().map(JsonObject.class::cast)
        .filter(t -> "citizen".equals(t.getString("from")) && t.getString("text") != null
            && t.getString("outcome") != null).findFirst()
        .orElse(null);
  }

  private static JsonObject admin(BenchServer server, String path) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path))
          .header("authorization", "Bearer bench-admin-token-0123456789").build(),
          HttpResponse.BodyHandlers.ofString());
      return new JsonObject(response.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
