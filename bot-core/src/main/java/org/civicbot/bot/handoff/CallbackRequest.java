package org.civicbot.bot.handoff;

import org.civicbot.knowledge.Language;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A citizen's request to be contacted by a person, and whether someone has done so: a caller's callback (a phone
 * number, {@code callBack}), or a web chat's message left outside opening hours with an e-mail address and/or a
 * phone number (and whether they want a call).
 */
public record CallbackRequest(
    UUID id,
    String tenantId,
    UUID conversationId,
    Optional<String> phoneNumber,
    Optional<String> email,
    String channel,
    boolean callBack,
    Language lang,
    Instant requestedAt,
    Optional<Instant> handledAt,
    Optional<String> handledBy) {

  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  /** Whether {@code address} looks like an e-mail address one can write to (at most 254 characters). */
  public static boolean isEmail(String address) {
    return address != null && address.length() <= 254 && EMAIL.matcher(address).matches();
  }

  /**
   * A phone number as a citizen writes it, in E.164: {@code +45 20 30 40 50}, {@code 0045 20304050} or a Danish
   * {@code 20 30 40 50}; empty when it is not one.
   */
  public static Optional<String> phoneNumberOf(String written) {
    if (written == null) {
      return Optional.empty();
    }
    String digits = written.strip().replaceAll("[\\s().-]", "");
    String e164 = digits.startsWith("00") ? "+" + digits.substring(2)
        : digits.matches("[2-9][0-9]{7}") ? "+45" + digits : digits;
    return isPhoneNumber(e164) ? Optional.of(e164) : Optional.empty();
  }

  /** Whether {@code number} is a phone number in E.164 form ({@code +4520304050}), the only form called back. */
  public static boolean isPhoneNumber(String number) {
    return number != null && E164.matcher(number).matches();
  }

  public boolean open() {
    return handledAt.isEmpty();
  }
}
