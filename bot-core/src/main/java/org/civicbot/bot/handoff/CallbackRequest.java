package org.civicbot.bot.handoff;

import org.civicbot.knowledge.Language;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A caller's request to be called back by a person, and whether someone has done so. */
public record CallbackRequest(
    UUID id,
    String tenantId,
    UUID conversationId,
    String phoneNumber,
    Language lang,
    Instant requestedAt,
    Optional<Instant> handledAt,
    Optional<String> handledBy) {

  public boolean open() {
    return handledAt.isEmpty();
  }
}
