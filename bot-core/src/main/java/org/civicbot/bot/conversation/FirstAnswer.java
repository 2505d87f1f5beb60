package org.civicbot.bot.conversation;

/**
 * The first-answer latency's histogram buckets (V13): bucket {@code b} holds the latencies of
 * {@code floor(ln(ms + 1) * 20) = b}, so the middle of a bucket is within about 2.5 % of any latency in it, from a
 * millisecond to hours, in at most {@value #BUCKETS} buckets.
 */
public final class FirstAnswer {
  public static final int BUCKETS = 401;

  private FirstAnswer() {
  }

  /** The SQL expression of the bucket of the latency in {@code column} (NULL without one). */
  public static String bucketSql(String column) {
    // LEAST ignores NULLs in PostgreSQL: without the CASE, no latency would be the last bucket
    return "(CASE WHEN " + column + " IS NOT NULL THEN LEAST(" + (BUCKETS - 1) + ", floor(ln(" + column
        + " + 1) * 20)) END)::smallint";
  }

  /** The middle of bucket {@code b}, in milliseconds. */
  public static double millis(int bucket) {
    return Math.exp((bucket + 0.5) / 20.0) - 1;
  }
}
