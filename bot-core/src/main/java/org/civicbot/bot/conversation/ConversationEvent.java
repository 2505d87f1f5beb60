package org.civicbot.bot.conversation;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** One entry of a conversation's append-only log. */
public record ConversationEvent(int seq, EventType type, Instant at, JsonObject payload) {

  public JsonObject toJson() {
    return new JsonObject().put("seq", seq).put("type", type.wireName()).put("at", at.toString())
        .put("payload", payload);
  }
}
