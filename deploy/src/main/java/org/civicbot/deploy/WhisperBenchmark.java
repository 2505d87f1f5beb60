package org.civicbot.deploy;

import org.civicbot.channels.phone.speech.GgmlModelWriter;
import org.civicbot.channels.phone.speech.SpeechRecognizer;
import org.civicbot.channels.phone.speech.WhisperSpeechRecognizer;
import org.civicbot.knowledge.Language;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Whisper's speed on this machine (a benchmark, not a test): per model size, the load time, the latency of an
 * utterance (from the end of the caller's speech being detected to its text) with the full and a shortened audio
 * context, and with several callers speaking at once against the pool size: the queue wait.
 *
 * <p>Models are generated with the real dimensions of whisper's tiny, base and small and random weights, so the
 * figures are whisper.cpp's real cost, but the text is noise: accuracy cannot be measured here. The generated model
 * ends its text after about a dozen tokens, what a real model says for 4 s of speech.
 *
 * <p>{@code java -jar civicbot.jar bench-whisper [--sizes tiny,base,small] [--utterances N] [--model FILE]}
 */
public final class WhisperBenchmark {
  private static final int RATE = 16_000;
  private static final int SPEECH_MILLIS = 4_000;
  /** Terms the prompt is made of: one token each, plus a comma (the prompt's length is then known). */
  /**
   * Terms the prompt is made of, in ASCII: one token each in the generated vocabulary, plus a comma, so the prompt's
   * length in tokens is known (whisper.cpp's tokenizer splits words at letters such as ø).
   */
  private static final List<String> TERMS = List.of("affald", "genbrug", "storskrald", "haveaffald", "pas",
      "koerekort", "sundhedskort", "borgerservice", "folkeregister", "flytning", "skat", "parkering", "tilladelse",
      "byggesag", "vej", "fortov", "snerydning", "bibliotek", "svoemmehal", "skole", "dagpleje", "vuggestue",
      "boernehave", "SFO", "pension", "boligstoette", "hjemmehjaelp", "plejehjem", "handicap", "jobcenter",
      "kontanthjaelp", "NemID", "MitID", "Digital", "Post", "kommune", "raadhus", "aabningstider", "ja", "nej");

  private WhisperBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    List<String> sizes = List.of("tiny", "base", "small");
    int utterances = 6;
    Path given = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sizes" -> sizes = List.of(args[++i].split(","));
        case "--utterances" -> utterances = Integer.parseInt(args[++i]);
        case "--model" -> given = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
      }
    }
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(Locale.ROOT, "Whisper benchmark: whisper-jni 1.7.1 (whisper.cpp v1.7.1), %d cores, %d s "
        + "utterances, %d per setting, prompt of %d terms%n", cores, SPEECH_MILLIS / 1000, utterances, TERMS.size());
    Path dir = Files.createTempDirectory("whisper-bench");
    try {
      if (given != null) {
        run(given.getFileName().toString(), given, utterances, cores);
      } else {
        for (String size : sizes) {
          // [prev], the prompt (a token and a comma per term), sot, language, transcribe, no timestamps: then ~12
          int textStart = 1 + 2 * TERMS.size() - 1 + 4;
          GgmlModelWriter.Dims dims = GgmlModelWriter.Dims.of(size).withWords(TERMS).withEotFrom(textStart + 12);
          long t = System.nanoTime();
          Path file = new GgmlModelWriter(dims, 9).write(dir.resolve(size + ".bin"));
          System.out.printf(Locale.ROOT, "%n== %s (%d state, %d heads, %d layers; %.0f MB f16, written in %.1f s)%n",
              size, dims.audioState(), dims.heads(), dims.layers(), Files.size(file) / 1e6, secondsSince(t));
          run(size, file, utterances, cores);
          Files.delete(file);
        }
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static void run(String name, Path file, int utterances, int cores) throws Exception {
    for (int audioCtx : new int[] {0, WhisperSpeechRecognizer.Settings.DEFAULT_AUDIO_CTX}) {
      long t = System.nanoTime();
      try (WhisperSpeechRecognizer r = load(file, cores, 1, audioCtx)) {
        double loadSeconds = secondsSince(t);
        speak(r, -1); // warm-up: the first transcription also allocates
        List<Double> latencies = new ArrayList<>();
        int chars = 0;
        for (int i = 0; i < utterances; i++) {
          Heard heard = speak(r, i);
          latencies.add(heard.millis);
          chars += heard.chars;
        }
        System.out.printf(Locale.ROOT, "%-6s audio_ctx %-4s  load %5.2f s  latency p50 %6.0f ms  p95 %6.0f ms  "
                + "RTF %.3f  (%.0f characters of text)%n", name, audioCtx == 0 ? "full" : audioCtx, loadSeconds,
            percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 50) / SPEECH_MILLIS,
            chars / (double) utterances);
      }
    }
    for (int pool : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
      try (WhisperSpeechRecognizer r = load(file, Math.max(1, cores / pool), pool,
          WhisperSpeechRecognizer.Settings.DEFAULT_AUDIO_CTX)) {
        for (int callers : new int[] {1, 2, 4}) {
          if (callers == 1) {
            speak(r, -1);
          }
          WhisperSpeechRecognizer.Stats before = r.stats();
          List<Double> latencies = new ArrayList<>();
          for (int round = 0; round < Math.max(1, utterances / 2); round++) {
            latencies.addAll(together(r, callers, round));
          }
          WhisperSpeechRecognizer.Stats after = r.stats();
          long n = after.transcriptions() - before.transcriptions();
          double meanWait = (after.meanWaitMillis() * after.transcriptions()
              - before.meanWaitMillis() * before.transcriptions()) / n;
          System.out.printf(Locale.ROOT, "%-6s pool %d x %d threads, %d callers at once: latency p50 %6.0f ms  "
                  + "p95 %6.0f ms  queue wait mean %6.0f ms%n", name, pool, Math.max(1, cores / pool), callers,
              percentile(latencies, 50), percentile(latencies, 95), meanWait);
        }
      }
    }
  }

  private static WhisperSpeechRecognizer load(Path file, int threads, int pool, int audioCtx) {
    return WhisperSpeechRecognizer.load(WhisperSpeechRecognizer.Settings.builder()
        .model(Language.DA, file, "--model").threads(threads).pool(pool).audioCtx(audioCtx).build(),
        (tenant, lang) -> TERMS);
  }

  private record Heard(double millis, int chars) {
  }

  /** One caller's utterance, fed in 60 ms batches: the time of the batch that ended it (its transcription). */
  private static Heard speak(SpeechRecognizer recognizer, int seed) {
    try (SpeechRecognizer.Recognition recognition = recognizer.open("bench", Language.DA)) {
      short[] audio = utterance(seed);
      for (int i = 0; i < audio.length; i += 960) {
        short[] batch = Arrays.copyOfRange(audio, i, Math.min(audio.length, i + 960));
        long t = System.nanoTime();
        SpeechRecognizer.Hypothesis h = recognition.accept(batch);
        if (h.endpoint()) {
          return new Heard((System.nanoTime() - t) / 1e6, h.text().length());
        }
      }
      long t = System.nanoTime();
      SpeechRecognizer.Hypothesis h = recognition.finish();
      return new Heard((System.nanoTime() - t) / 1e6, h.text().length());
    }
  }

  private static List<Double> together(SpeechRecognizer recognizer, int callers, int round) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Heard>> heard = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int seed = round * 100 + c;
        heard.add(threads.submit(() -> {
          start.await();
          return speak(recognizer, seed);
        }));
      }
      start.countDown();
      List<Double> latencies = new ArrayList<>();
      for (Future<Heard> f : heard) {
        latencies.add(f.get().millis);
      }
      return latencies;
    } finally {
      threads.shutdownNow();
    }
  }

  /** A quiet line, 4 s of voiced sound (a pitch with harmonics, syllable-like loudness), 1 s of quiet. */
  private static short[] utterance(int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int quiet = RATE / 2;
    int speech = SPEECH_MILLIS * RATE / 1000;
    short[] s = new short[quiet + speech + RATE];
    double pitch = 110 + random.nextDouble() * 100;
    for (int i = 0; i < s.length; i++) {
      double noise = (random.nextDouble() * 2 - 1) * 20;
      double v = 0;
      if (i >= quiet && i < quiet + speech) {
        double t = (i - quiet) / (double) RATE;
        for (int h = 1; h <= 6; h++) {
          v += Math.sin(2 * Math.PI * pitch * h * t) / h;
        }
        v *= 2500 * (0.75 + 0.25 * Math.sin(2 * Math.PI * 4 * t));
      }
      s[i] = (short) (v + noise);
    }
    return s;
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}
