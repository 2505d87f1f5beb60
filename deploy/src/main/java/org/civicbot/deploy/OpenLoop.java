package org.civicbot.deploy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Messages arriving as a Poisson process at a fixed rate, on the wall clock whatever the server does, as citizens
 * arrive: a slow answer does not hold the next message back, and a message's latency runs from its scheduled arrival,
 * so time the generator or the server queued it for is counted (no coordinated omission). Each arrival is the next
 * message of a conversation whose last answer has come (the one waiting longest), or the first of a new one.
 */
final class OpenLoop implements Load {
  private final Vertx vertx;
  private final Citizens citizens;
  private final Supplier<LoadStats> stats;
  private final double perNano;
  private final Random random = new Random(CitizenScripts.SEED);
  /** Conversations whose last answer has come and that have more to say, the longest waiting first. */
  private final Deque<Citizens.Conversation> idle = new ArrayDeque<>();
  private long nextArrival;
  private long timer = -1;
  private boolean stopped;
  /** Arrivals whose outcome is not yet recorded. */
  private int inFlight;
  private final Promise<Void> drained = Promise.promise();

  OpenLoop(Vertx vertx, Citizens citizens, Supplier<LoadStats> stats, double perSecond) {
    this.vertx = vertx;
    this.citizens = citizens;
    this.stats = stats;
    this.perNano = perSecond / 1e9;
  }

  @Override
  public void start() {
    nextArrival = System.nanoTime();
    arrive();
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    if (inFlight == 0) {
      drained.tryComplete();
    }
    return drained.future();
  }

  /** Sends every message whose time has come, then sleeps until the next one's. */
  private void arrive() {
    long now = System.nanoTime();
    while (!stopped && nextArrival <= now) {
      LoadStats phase = stats.get();
      phase.arrivalLag(now - nextArrival);
      send(nextArrival, phase);
      nextArrival += gapNanos();
      now = System.nanoTime();
    }
    if (!stopped) {
      long delayMs = Math.max(1, (nextArrival - now + 999_999) / 1_000_000);
      timer = vertx.setTimer(delayMs, id -> arrive());
    }
  }

  private void send(long scheduled, LoadStats phase) {
    inFlight++;
    Citizens.Conversation waiting = idle.pollFirst();
    Future<Citizens.Conversation> conversation = waiting != null ? Future.succeededFuture(waiting)
        : citizens.start(phase, scheduled);
    conversation.<Void>transform(started -> {
      if (started.failed()) {
        phase.turnSent();
        phase.turnFailed("not sent: the conversation did not start");
        return Future.succeededFuture();
      }
      Citizens.Conversation c = started.result();
      return citizens.sayNext(c, phase, scheduled).map(answered -> {
        // a citizen who got an error or no answer leaves; one whose question was answered may go on
        if (answered && c.hasMore() && !stopped) {
          idle.addLast(c);
        }
        return null;
      });
    }).onComplete(done -> {
      if (--inFlight == 0 && stopped) {
        drained.tryComplete();
      }
    });
  }

  /** An exponentially distributed gap between arrivals, which makes them a Poisson process. */
  private long gapNanos() {
    return (long) (-Math.log(1 - random.nextDouble()) / perNano);
  }
}
