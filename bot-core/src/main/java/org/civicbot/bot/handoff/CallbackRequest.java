package org.civicbot.bot.handoff;

import org.civicbot.knowledge.Language;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

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

  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  /** Whether {@code number} is a phone number in E.164 form ({@code +4520304050}), the only form called back. */
  public static boolean isPhoneNumber(String number) {
    return number != null && E164.matcher(number).matches();
  }

  public boolean open() {
    return handledAt.isEmpty();
  }
}
