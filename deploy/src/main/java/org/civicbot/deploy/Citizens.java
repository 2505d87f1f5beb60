package org.civicbot.deploy;

import io.vertx.core.Future;

/**
 * The citizens' side of a load benchmark: starts scripted conversations and says their messages through the chat
 * API, and records each outcome in the stats of the phase its request belongs to. Used on the load's one event loop
 * only.
 */
final class Citizens {

  /** A conversation in progress: its id on the server, its script and how much of it has been said. */
  static final class Conversation {
    private final String id;
    private final CitizenScripts.Script script;
    private int said;

    private Conversation(String id, CitizenScripts.Script script) {
      this.id = id;
      this.script = script;
    }

    boolean hasMore() {
      return said < script.messages().size();
    }
  }

  private final ChatClient client;
  private final CitizenScripts scripts;

  Citizens(ChatClient client, CitizenScripts scripts) {
    this.client = client;
    this.scripts = scripts;
  }

  /** Starts the next citizen's conversation; fails, with the failure recorded, when the server does not make one. */
  Future<Conversation> start(LoadStats stats, long originNanos) {
    CitizenScripts.Script script = scripts.next();
    return client.start(script.lang()).transform(result -> {
      if (result.failed()) {
        stats.startFailed(ChatClient.failureKind(result.cause()));
      } else if (result.result().status() != 201) {
        stats.startFailed("HTTP " + result.result().status());
      } else {
        stats.startAnswered(originNanos, System.nanoTime());
        return Future.succeededFuture(new Conversation(result.result().conversationId(), script));
      }
      return Future.failedFuture("the conversation did not start");
    });
  }

  /**
   * Says the conversation's next message, its latency counted from {@code originNanos}; completes with whether it
   * was answered (a failure is recorded by kind).
   */
  Future<Boolean> sayNext(Conversation conversation, LoadStats stats, long originNanos) {
    assert conversation.hasMore();
    String text = conversation.script.messages().get(conversation.said++);
    stats.turnSent();
    return client.say(conversation.id, text).transform(result -> {
      if (result.failed()) {
        stats.turnFailed(ChatClient.failureKind(result.cause()));
      } else if (result.result().status() != 200) {
        stats.turnFailed("HTTP " + result.result().status());
      } else {
        stats.turnAnswered(originNanos, System.nanoTime(), result.result().engineMs());
        return Future.succeededFuture(true);
      }
      return Future.succeededFuture(false);
    });
  }
}
