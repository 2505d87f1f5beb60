package org.civicbot.bot.conversation;

import io.vertx.core.json.JsonObject;
import org.civicbot.knowledge.Language;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A conversation's header row; its content is the event log. */
public record Conversation(UUID id, String tenantId, String channel, Optional<String> externalId, Language lang,
                           Instant startedAt, Instant lastActivityAt, Optional<Instant> endedAt,
                           Optional<Resolution> resolution) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("tenant", tenantId)
        .put("channel", channel)
        .put("externalId", externalId.orElse(null))
        .put("lang", lang.code())
        .put("startedAt", startedAt.toString())
        .put("lastActivityAt", lastActivityAt.toString())
        .put("endedAt", endedAt.map(Instant::toString).orElse(null))
        .put("resolution", resolution.map(Resolution::wireName).orElse(null));
  }
}
