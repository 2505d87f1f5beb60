package org.civicbot.deploy;

import java.util.Arrays;
import java.util.Locale;

/**
 * Recorded durations with exact percentiles (HdrHistogram is not on our classpath, and a benchmark of a few minutes
 * records few enough values to keep and sort them all).
 */
final class Latencies {
  private long[] micros = new long[1024];
  private int count;

  void add(long durationMicros) {
    if (count == micros.length) {
      micros = Arrays.copyOf(micros, count * 2);
    }
    micros[count++] = durationMicros;
  }

  int count() {
    return count;
  }

  /** The {@code p}-th percentile in milliseconds (nearest rank); NaN when nothing was recorded. */
  double percentileMs(double p) {
    return count == 0 ? Double.NaN : at(sorted(), p);
  }

  /** {@code p50 1.0, p99 2.0, max 3.0 ms} for the percentiles given, or {@code none}. */
  String summary(double... percentiles) {
    if (count == 0) {
      return "none";
    }
    long[] sorted = sorted();
    StringBuilder out = new StringBuilder();
    for (double p : percentiles) {
      String label = p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
      out.append(String.format(Locale.ROOT, "p%s %.1f, ", label, at(sorted, p)));
    }
    return out.append(String.format(Locale.ROOT, "max %.1f ms", sorted[count - 1] / 1000.0)).toString();
  }

  private long[] sorted() {
    long[] sorted = Arrays.copyOf(micros, count);
    Arrays.sort(sorted);
    return sorted;
  }

  private static double at(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1000.0;
  }
}
