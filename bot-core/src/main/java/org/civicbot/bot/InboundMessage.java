package org.civicbot.bot;

import org.civicbot.knowledge.Language;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One message from a citizen, as any channel hands it to the engine: the channel has already turned its protocol
 * (HTTP JSON, recognized speech) into plain text.
 *
 * @param tenantId       the municipality
 * @param conversationId the conversation it continues
 * @param channel        {@code web}, {@code phone}, ...
 * @param text           what the citizen wrote or said, unredacted; the engine redacts it before anything is stored
 * @param localeHint     the language the channel believes the citizen uses (page language, chosen phone menu)
 * @param metadata       channel details worth keeping with the turn (never personal data)
 * @param abilities      what the channel can do for the citizen right now (text the answer, put through to a person)
 */
public record InboundMessage(String tenantId, UUID conversationId, String channel, String text,
                             Optional<Language> localeHint, Map<String, String> metadata,
                             ChannelAbilities abilities) {

  public InboundMessage {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(text, "text");
    localeHint = localeHint == null ? Optional.empty() : localeHint;
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    abilities = abilities == null ? ChannelAbilities.SCREEN : abilities;
  }

  /** A message from a screen (a chat window). */
  public InboundMessage(String tenantId, UUID conversationId, String channel, String text,
                        Optional<Language> localeHint, Map<String, String> metadata) {
    this(tenantId, conversationId, channel, text, localeHint, metadata, ChannelAbilities.SCREEN);
  }

  public static InboundMessage of(String tenantId, UUID conversationId, String channel, String text) {
    return new InboundMessage(tenantId, conversationId, channel, text, Optional.empty(), Map.of());
  }
}
