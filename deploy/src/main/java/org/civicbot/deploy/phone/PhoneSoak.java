package org.civicbot.deploy.phone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Simultaneous callers through a {@link TwilioSimulator}, each call following one of several scripts that are hard on
 * a speech pipeline: a question answered to the end, a caller who speaks over the answer and hangs up while it
 * plays, one who hangs up in the middle of a sentence (mid-recognition), one who hangs up right after speaking
 * (mid-decode), and one who presses 0. Questions vary from call to call, so utterance ends and decoder paths vary.
 * Used by the soak test (a few rounds) and the soak benchmark (minutes).
 */
public final class PhoneSoak {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** What a call does. */
  public enum Script { ANSWERED, BARGE_IN_THEN_HANG_UP, HANG_UP_MID_SENTENCE, HANG_UP_AFTER_SPEAKING, PRESS_0 }

  /** One finished call: its CallSid, script, whether it got the reply its script waits for, and the reply latency. */
  public record CallResult(String callSid, Script script, boolean ok, double latencyMs, String failure) {
  }

  private final TwilioSimulator twilio;
  private final List<byte[]> questions;
  private final Random random;

  /**
   * @param questions the callers' questions, as 8 kHz mu-law speech (see {@link CallerVoice#say})
   * @param seed      chooses each call's question and script
   */
  public PhoneSoak(TwilioSimulator twilio, List<byte[]> questions, long seed) {
    if (questions.isEmpty()) {
      throw new IllegalArgumentException("a soak needs at least one question");
    }
    this.twilio = twilio;
    this.questions = List.copyOf(questions);
    this.random = new Random(seed);
  }

  /** Runs {@code callers} simultaneous callers until each has made {@code callsEach} calls or {@code budget} passed. */
  public List<CallResult> run(int callers, int callsEach, Duration budget) throws InterruptedException {
    List<CallResult> results = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    long deadline = System.nanoTime() + budget.toNanos();
    AtomicInteger started = new AtomicInteger();
    for (int c = 0; c < callers; c++) {
      long seed = random.nextLong();
      int caller = c;
      pool.execute(() -> {
        Random r = new Random(seed);
        sleepMillis(r.nextInt(1_000));
        for (int i = 0; i < callsEach && System.nanoTime() < deadline; i++) {
          // every script in turn, from a different start per caller, so even a short soak has each of them
          Script script = Script.values()[(caller + i) % Script.values().length];
          byte[] question = questions.get(r.nextInt(questions.size()));
          String sid = String.format(Locale.ROOT, "CA%016x%016x", System.nanoTime(), r.nextLong());
          started.incrementAndGet();
          results.add(call(sid, script, question, r));
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(budget.toSeconds() + 120, TimeUnit.SECONDS);
    pool.shutdownNow();
    return new ArrayList<>(results);
  }

  private CallResult call(String sid, Script script, byte[] question, Random r) {
    TwilioSimulator.Call call = null;
    try {
      call = twilio.call(sid, "+4520" + String.format(Locale.ROOT, "%06d", r.nextInt(1_000_000)));
      call.await(m -> "media".equals(m.event()), WAIT);
      switch (script) {
        case ANSWERED -> {
          call.awaitMark(1, WAIT);
          call.play(question, true);
          long end = System.nanoTime();
          call.silence(1_500, true);
          // the reply's end: its mark (a question heard as two utterances gets two replies, the first cut short)
          TwilioSimulator.Call.Received mark = call.await(m -> "mark".equals(m.event()) && m.nanos() > end, WAIT);
          double latency = call.received.stream().filter(m -> "media".equals(m.event()) && m.nanos() > end)
              .findFirst().map(m -> (m.nanos() - end) / 1e6).orElse(Double.NaN);
          call.stop();
          return new CallResult(sid, script, mark != null, latency, null);
        }
        case BARGE_IN_THEN_HANG_UP -> {
          call.awaitMark(1, WAIT);
          call.play(question, true);
          long asked = System.nanoTime();
          call.silence(1_500, true);
          // the answer starts; speak over it, then hang up while the bot may be answering the second question
          call.await(m -> "media".equals(m.event()) && m.nanos() > asked, WAIT);
          // a reply that had ended before the caller spoke again was not spoken over
          List<TwilioSimulator.Call.Received> sofar = call.since(0);
          boolean playing = "media".equals(sofar.get(sofar.size() - 1).event());
          call.play(questions.get(r.nextInt(questions.size())), true);
          call.silence(200 + r.nextInt(1_200), true);
          call.hangUp();
          boolean ok = call.count("clear") >= 1 || !playing;
          return new CallResult(sid, script, ok, Double.NaN, ok ? null : "no clear after speaking over the bot");
        }
        case HANG_UP_MID_SENTENCE -> {
          call.play(java.util.Arrays.copyOf(question, question.length / 2 + r.nextInt(question.length / 2)), true);
          call.hangUp();
          return new CallResult(sid, script, true, Double.NaN, null);
        }
        case HANG_UP_AFTER_SPEAKING -> {
          call.play(question, true);
          call.silence(r.nextInt(800), true);
          call.stop();
          return new CallResult(sid, script, true, Double.NaN, null);
        }
        case PRESS_0 -> {
          call.dtmf("0");
          call.await(m -> "mark".equals(m.event()) && !"reply-1".equals(m.message().getJsonObject("mark")
              .getString("name")), WAIT);
          call.stop();
          return new CallResult(sid, script, true, Double.NaN, null);
        }
        default -> throw new IllegalStateException(script.name());
      }
    } catch (RuntimeException | AssertionError e) {
      if (call != null) {
        call.hangUp();
      }
      return new CallResult(sid, script, false, Double.NaN, e.getMessage());
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The results counted by script: "ANSWERED 4/4, PRESS_0 3/3, ...". */
  public static String summary(List<CallResult> results) {
    ConcurrentHashMap<Script, int[]> counts = new ConcurrentHashMap<>();
    results.forEach(r -> {
      int[] c = counts.computeIfAbsent(r.script(), s -> new int[2]);
      c[0] += r.ok() ? 1 : 0;
      c[1]++;
    });
    List<String> parts = new ArrayList<>();
    for (Script s : Script.values()) {
      int[] c = counts.getOrDefault(s, new int[2]);
      parts.add(s.name().toLowerCase(Locale.ROOT) + " " + c[0] + "/" + c[1]);
    }
    return String.join(", ", Collections.unmodifiableList(parts));
  }
}
