package org.civicbot.channels.web;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per key (a client address, a conversation), from Bucket4j. A key may spend {@code perMinute} tokens
 * a minute, refilled gradually, with bursts up to the same number. Idle buckets are forgotten by {@link #sweep()}.
 */
public final class RateLimiter {

  /** The result of one attempt: allowed, or how many seconds to wait. */
  public record Verdict(boolean allowed, long retryAfterSeconds) {
  }

  private record Entry(Bucket bucket, long lastUsedNanos) {
  }

  private final int perMinute;
  private final Map<String, Entry> buckets = new ConcurrentHashMap<>();

  public RateLimiter(int perMinute) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("a rate limit must allow at least 1 request a minute, but was " + perMinute);
    }
    this.perMinute = perMinute;
  }

  public Verdict tryAcquire(String key) {
    Entry entry = buckets.compute(key, (k, old) -> new Entry(old == null ? newBucket() : old.bucket(),
        System.nanoTime()));
    ConsumptionProbe probe = entry.bucket().tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return new Verdict(true, 0);
    }
    long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    return new Verdict(false, seconds);
  }

  /** Forgets buckets unused for ten minutes (they would be full again anyway). */
  public void sweep() {
    long cutoff = System.nanoTime() - Duration.ofMinutes(10).toNanos();
    buckets.entrySet().removeIf(e -> e.getValue().lastUsedNanos() < cutoff);
  }

  public int size() {
    return buckets.size();
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
        .build();
  }
}
