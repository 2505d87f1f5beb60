package org.civicbot.knowledge;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Citizens' text is kept only for the time to live, and only so many entries. */
class ExpiringCacheTest {
  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger made = new AtomicInteger();
  private final ExpiringCache<String, Integer> cache = new ExpiringCache<>(Duration.ofMinutes(10), 3, now::get);

  private int get(String key) {
    return cache.get(key, k -> made.incrementAndGet());
  }

  @Test
  void should_reuse_a_fresh_value_and_make_it_again_once_expired() {
    assertEquals(1, get("pas"));
    now.addAndGet(Duration.ofMinutes(9).toNanos());
    assertEquals(1, get("pas"), "fresh: not made again");
    now.addAndGet(Duration.ofMinutes(2).toNanos());
    assertEquals(2, get("pas"), "expired: made again");
  }

  @Test
  void should_forget_expired_entries_on_a_sweep_and_stay_within_its_size() {
    get("a");
    get("b");
    now.addAndGet(Duration.ofMinutes(11).toNanos());
    cache.sweep();
    assertEquals(0, cache.size(), "nothing older than the time to live is kept");
    for (String key : new String[]{"c", "d", "e", "f"}) {
      get(key);
    }
    assertEquals(3, cache.size());
  }
}
