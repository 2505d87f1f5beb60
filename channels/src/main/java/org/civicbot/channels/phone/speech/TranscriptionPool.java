package org.civicbot.channels.phone.speech;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * At most a fixed number of transcriptions at once, across all calls; further ones wait their turn (fairly). One
 * transcription already uses several cores, so running more at once only makes every caller wait longer, and each
 * running one holds a whisper state of its own (tens to hundreds of MB).
 */
final class TranscriptionPool {
  private final int size;
  private final Semaphore permits;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong waitNanos = new AtomicLong();
  private final AtomicLong maxWaitNanos = new AtomicLong();
  private final AtomicLong workNanos = new AtomicLong();

  TranscriptionPool(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("the pool must hold at least one transcription, but was " + size);
    }
    this.size = size;
    this.permits = new Semaphore(size, true);
  }

  int size() {
    return size;
  }

  /** Runs {@code work} once a place is free. */
  <T> T run(Supplier<T> work) {
    long queued = System.nanoTime();
    permits.acquireUninterruptibly();
    long started = System.nanoTime();
    waitNanos.addAndGet(started - queued);
    maxWaitNanos.accumulateAndGet(started - queued, Math::max);
    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      return work.get();
    } finally {
      running.decrementAndGet();
      done.incrementAndGet();
      workNanos.addAndGet(System.nanoTime() - started);
      permits.release();
    }
  }

  /** Waits until nothing runs and takes every place, so nothing can start (closing); false if that took too long. */
  boolean drain(long timeout, TimeUnit unit) throws InterruptedException {
    return permits.tryAcquire(size, timeout, unit);
  }

  WhisperSpeechRecognizer.Stats stats() {
    long n = done.get();
    return new WhisperSpeechRecognizer.Stats(n, maxRunning.get(), n == 0 ? 0 : waitNanos.get() / n / 1e6,
        maxWaitNanos.get() / 1e6, n == 0 ? 0 : workNanos.get() / n / 1e6);
  }
}
