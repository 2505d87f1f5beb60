package org.civicbot.channels.phone;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A call's recognizer work never overlaps and keeps its order, on a pool with many threads. */
class SerialWorkTest {
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void close() throws Exception {
    pool.shutdownNow();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void should_run_one_task_at_a_time_in_order_and_report_on_the_context() throws Exception {
    Context context = vertx.getOrCreateContext();
    SerialWork work = new SerialWork(pool, context);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    List<Integer> order = new CopyOnWriteArrayList<>();
    List<Future<Integer>> results = new CopyOnWriteArrayList<>();
    List<Boolean> onContext = new CopyOnWriteArrayList<>();
    CountDownLatch submitted = new CountDownLatch(1);
    // A call submits its work and listens for the results on its own context, as the phone line does.
    context.runOnContext(v -> {
      for (int i = 0; i < 200; i++) {
        int n = i;
        Future<Integer> result = work.submit(() -> {
          if (running.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
          }
          Thread.sleep(0, 200_000);
          order.add(n);
          running.decrementAndGet();
          return n;
        });
        result.onComplete(r -> onContext.add(Vertx.currentContext() == context));
        results.add(result);
      }
      submitted.countDown();
    });
    assertTrue(submitted.await(10, TimeUnit.SECONDS));
    Future.all(results).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertEquals(0, overlaps.get(), "two tasks of one call ran at once");
    for (int i = 0; i < order.size(); i++) {
      assertEquals(i, order.get(i));
    }
    assertEquals(199, results.get(199).result());
    assertEquals(200, onContext.size());
    assertTrue(onContext.stream().allMatch(b -> b), "results are reported on the call's context");
  }

  @Test
  void should_report_a_failure_and_go_on() throws Exception {
    SerialWork work = new SerialWork(pool, vertx.getOrCreateContext());
    Future<Integer> failed = work.submit(() -> {
      throw new IllegalStateException("decoder failed");
    });
    Future<Integer> next = work.submit(() -> 7);

    assertEquals(7, next.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertTrue(failed.failed());
    assertEquals("decoder failed", failed.cause().getMessage());
  }
}
