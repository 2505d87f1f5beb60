package org.civicbot.channels.phone;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * One call's blocking work on a shared pool, one task at a time and in the order given: a native recognizer (Vosk,
 * whisper) must never be used from two threads at once, nor closed while it decodes, nor fed after it was closed —
 * any of these crashes the whole JVM. Results are reported on the call's Vert.x context. Thread-safe.
 */
final class SerialWork {
  private static final Logger LOG = LoggerFactory.getLogger(SerialWork.class);

  private final Executor pool;
  private final Context context;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean draining;

  SerialWork(Executor pool, Context context) {
    this.pool = pool;
    this.context = context;
  }

  /** Runs {@code task} after every task given before it; its result or failure arrives on the call's context. */
  <T> Future<T> submit(Callable<T> task) {
    Promise<T> promise = Promise.promise();
    execute(() -> {
      T result;
      try {
        result = task.call();
      } catch (Throwable e) {
        context.runOnContext(v -> promise.fail(e));
        return;
      }
      context.runOnContext(v -> promise.complete(result));
    });
    return promise.future();
  }

  /** Runs {@code task} after every task given before it, for its effect only. */
  void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (draining) {
        return;
      }
      draining = true;
    }
    pool.execute(this::drain);
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (tasks) {
        next = tasks.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        LOG.warn("A speech task failed", e);
      }
    }
  }
}
