package org.civicbot.knowledge;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A small cache of things made from citizens' text (a question's embedding, its retrieval), bounded in size and in
 * time: an entry is dropped {@code ttl} after it was made, so no citizen's text stays in memory longer, whatever the
 * traffic ({@link #sweep()} runs on every put and may be called periodically). Thread-safe; the value is computed
 * outside the lock, so two threads may compute the same value once each.
 */
public final class ExpiringCache<K, V> {
  private final Duration ttl;
  private final int maxSize;
  private final LongSupplier nanoTime;
  private final Map<K, Timed<V>> entries = new LinkedHashMap<>(256, 0.75f, false);

  private record Timed<V>(V value, long at) {
  }

  public ExpiringCache(Duration ttl, int maxSize) {
    this(ttl, maxSize, System::nanoTime);
  }

  ExpiringCache(Duration ttl, int maxSize, LongSupplier nanoTime) {
    this.ttl = ttl;
    this.maxSize = maxSize;
    this.nanoTime = nanoTime;
  }

  /** The cached value of {@code key} while it is fresh, else {@code make}'s, cached. */
  public V get(K key, Function<K, V> make) {
    long now = nanoTime.getAsLong();
    synchronized (entries) {
      Timed<V> cached = entries.get(key);
      if (cached != null && now - cached.at() <= ttl.toNanos()) {
        return cached.value();
      }
    }
    V value = make.apply(key);
    synchronized (entries) {
      // insertion order is age order: a re-made entry moves to the young end
      entries.remove(key);
      entries.put(key, new Timed<>(value, now));
      while (entries.size() > maxSize) {
        entries.remove(entries.keySet().iterator().next());
      }
    }
    sweep();
    return value;
  }

  /** Drops every entry older than the time to live. */
  public void sweep() {
    long now = nanoTime.getAsLong();
    synchronized (entries) {
      var oldest = entries.values().iterator();
      while (oldest.hasNext() && now - oldest.next().at() > ttl.toNanos()) {
        oldest.remove();
      }
    }
  }

  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
