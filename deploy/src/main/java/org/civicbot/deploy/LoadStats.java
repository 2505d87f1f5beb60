package org.civicbot.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What one phase of a load benchmark (the warm-up, or the measured seconds) saw. A request belongs to the phase in
 * which it was sent (or, in an open loop, scheduled), and is waited for after the phase ends, so a slow answer counts
 * against the phase that caused it; the achieved throughput counts only the answers that came within the phase.
 * Used on the load's one event loop only.
 */
final class LoadStats {
  /** An open loop that starts its messages later than this after their time is a generator out of breath. */
  static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final String phase;
  private final long startNanos;
  private long endNanos = Long.MAX_VALUE;
  private int sent;
  private int answered;
  private int answeredWithin;
  private final Latencies turns = new Latencies();
  private final Latencies engine = new Latencies();
  private final Latencies starts = new Latencies();
  private final Map<String, Integer> turnErrors = new TreeMap<>();
  private final Map<String, Integer> startErrors = new TreeMap<>();
  private int lateArrivals;
  private long maxLagNanos;
  private int lateSinceProgress;
  private long maxLagSinceProgress;

  LoadStats(String phase, long startNanos) {
    this.phase = phase;
    this.startNanos = startNanos;
  }

  void close(long nowNanos) {
    endNanos = nowNanos;
  }

  double seconds() {
    return (Math.min(endNanos, System.nanoTime()) - startNanos) / 1e9;
  }

  void turnSent() {
    sent++;
  }

  void turnAnswered(long originNanos, long doneNanos, double engineMs) {
    answered++;
    if (doneNanos <= endNanos) {
      answeredWithin++;
    }
    turns.add((doneNanos - originNanos) / 1000);
    if (!Double.isNaN(engineMs)) {
      engine.add(Math.round(engineMs * 1000));
    }
  }

  void turnFailed(String kind) {
    turnErrors.merge(kind, 1, Integer::sum);
  }

  void startAnswered(long originNanos, long doneNanos) {
    starts.add((doneNanos - originNanos) / 1000);
  }

  void startFailed(String kind) {
    startErrors.merge(kind, 1, Integer::sum);
  }

  /** An open loop's arrival that went out {@code lagNanos} after its scheduled time. */
  void arrivalLag(long lagNanos) {
    maxLagNanos = Math.max(maxLagNanos, lagNanos);
    maxLagSinceProgress = Math.max(maxLagSinceProgress, lagNanos);
    if (lagNanos > LATE_NANOS) {
      lateArrivals++;
      lateSinceProgress++;
    }
  }

  /** The line printed every few seconds, with a warning when the generator fell behind since the last one. */
  String progressLine() {
    String line = String.format(Locale.ROOT, "  [%s %3.0f s%s] sent %d, answered %d, errors %d, p99 %.1f ms", phase,
        seconds(), endNanos == Long.MAX_VALUE ? "" : ", waiting for answers", sent, answered, errors(turnErrors),
        turns.percentileMs(99));
    if (!startErrors.isEmpty()) {
      line += ", failed starts " + errors(startErrors);
    }
    if (lateSinceProgress > 0) {
      line += String.format(Locale.ROOT, "  WARNING: the load generator fell behind its schedule by up to %.0f ms"
          + " (%d arrivals late by more than %d ms)", maxLagSinceProgress / 1e6, lateSinceProgress,
          TimeUnit.NANOSECONDS.toMillis(LATE_NANOS));
    }
    lateSinceProgress = 0;
    maxLagSinceProgress = 0;
    return line;
  }

  /** The report's lines; {@code openLoop} says how latency was measured and whether the schedule was kept. */
  List<String> report(boolean openLoop) {
    double seconds = seconds();
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "  %-20s %.1f message turns/s (%d sent in %.1f s)",
        openLoop ? "offered" : "sent", sent / seconds, sent, seconds));
    lines.add(String.format(Locale.ROOT, "  %-20s %.1f answered turns/s (%d answered within the %.0f s, %d in all)",
        "achieved", answeredWithin / seconds, answeredWithin, seconds, answered));
    lines.add(String.format(Locale.ROOT, "  %-20s %s (%s)", "turn latency",
        turns.summary(50, 95, 99, 99.9), openLoop
            ? "from the scheduled arrival; a new conversation's first turn includes its start"
            : "from sending to the answer"));
    lines.add(String.format(Locale.ROOT, "  %-20s %s", "turn errors", describe(turnErrors)));
    lines.add(String.format(Locale.ROOT, "  %-20s %s (server-timing, %d answers)", "engine time",
        engine.summary(50, 99), engine.count()));
    lines.add(String.format(Locale.ROOT, "  %-20s %s (%d started; errors: %s)", "conversation start",
        starts.summary(50, 99), starts.count(), describe(startErrors)));
    if (openLoop) {
      lines.add(lateArrivals == 0
          ? String.format(Locale.ROOT, "  %-20s kept to its schedule (at most %.1f ms late)", "load generator",
              maxLagNanos / 1e6)
          : String.format(Locale.ROOT, "  %-20s WARNING: fell behind its schedule by up to %.0f ms (%d arrivals"
              + " late by more than %d ms); the offered load was not what was asked", "load generator",
              maxLagNanos / 1e6, lateArrivals, TimeUnit.NANOSECONDS.toMillis(LATE_NANOS)));
    }
    return lines;
  }

  boolean anyErrors() {
    return !turnErrors.isEmpty() || !startErrors.isEmpty();
  }

  private static int errors(Map<String, Integer> byKind) {
    return byKind.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static String describe(Map<String, Integer> byKind) {
    if (byKind.isEmpty()) {
      return "none";
    }
    StringBuilder out = new StringBuilder();
    byKind.forEach((kind, n) -> out.append(out.isEmpty() ? "" : ", ").append(kind).append(": ").append(n));
    return out.toString();
  }
}
