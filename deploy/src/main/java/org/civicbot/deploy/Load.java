package org.civicbot.deploy;

import io.vertx.core.Future;

/**
 * A shape of load on the chat API, run on one event loop: from {@link #start()} it sends citizens' messages, each
 * recorded in the stats of the phase current when it was sent; after {@link #stop()} it sends nothing new and
 * completes when every request in flight has its outcome.
 */
interface Load {

  void start();

  Future<Void> stop();
}
