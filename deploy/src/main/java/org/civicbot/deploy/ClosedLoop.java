package org.civicbot.deploy;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.function.Supplier;

/**
 * A fixed number of citizens, each playing conversations back to back and sending its next message as soon as the
 * answer to the last one has come: the server's capacity in turns a second at that concurrency. A message's latency
 * runs from its sending; a conversation whose message failed is left and a new one started.
 */
final class ClosedLoop implements Load {
  private final Citizens citizens;
  private final Supplier<LoadStats> stats;
  private final int concurrency;
  private int playing;
  private boolean stopped;
  private final Promise<Void> drained = Promise.promise();

  ClosedLoop(Citizens citizens, Supplier<LoadStats> stats, int concurrency) {
    this.citizens = citizens;
    this.stats = stats;
    this.concurrency = concurrency;
  }

  @Override
  public void start() {
    for (int i = 0; i < concurrency; i++) {
      playing++;
      startConversation();
    }
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    return drained.future();
  }

  private void startConversation() {
    if (leaving()) {
      return;
    }
    citizens.start(stats.get(), System.nanoTime()).onComplete(started -> {
      if (started.succeeded()) {
        sayNext(started.result());
      } else {
        startConversation();
      }
    });
  }

  private void sayNext(Citizens.Conversation conversation) {
    if (leaving()) {
      return;
    }
    citizens.sayNext(conversation, stats.get(), System.nanoTime()).onSuccess(answered -> {
      if (answered && conversation.hasMore()) {
        sayNext(conversation);
      } else {
        startConversation();
      }
    });
  }

  /** Whether the load has stopped, in which case this citizen leaves (and the last to leave says it is drained). */
  private boolean leaving() {
    if (stopped && --playing == 0) {
      drained.complete();
    }
    return stopped;
  }
}
