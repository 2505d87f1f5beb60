package org.civicbot.channels.phone;

import org.civicbot.bot.handoff.OpeningHours;
import org.civicbot.bot.privacy.Secrets;
import org.civicbot.knowledge.Language;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the phone line runs.
 *
 * @param defaultTenant    the tenant of a call whose webhook URL names none ({@code /twilio/voice?tenant=...})
 * @param publicBaseUrl    how Twilio reaches this server ({@code PUBLIC_BASE_URL}): signatures are computed on it and
 *                         the media stream URL is built from it
 * @param authToken        the Twilio account's auth token, which signs Twilio's requests
 * @param transferNumber   the human queue a call is transferred to (E.164); none: the caller is offered a callback
 * @param openingHours     when the human queue is staffed; outside them the caller is offered a callback
 * @param defaultLanguage  the language a call starts in when the recognizer has it
 * @param silenceSeconds   seconds of the caller's silence (in audio time) before a prompt, and again before goodbye
 * @param maxUtteranceSeconds seconds after which an utterance is taken as ended even without a pause
 * @param maxCalls         calls the line takes at once; a caller beyond it hears the lines are busy and is put
 *                         through to a person or offered a callback
 * @param maxCallsPerTenant calls one municipality's callers may hold at once, so one cannot take every line
 */
public record PhoneSettings(
    String defaultTenant,
    String publicBaseUrl,
    String authToken,
    Optional<String> transferNumber,
    OpeningHours openingHours,
    Language defaultLanguage,
    int silenceSeconds,
    int maxUtteranceSeconds,
    int maxCalls,
    int maxCallsPerTenant) {

  public PhoneSettings {
    Objects.requireNonNull(defaultTenant, "defaultTenant");
    Objects.requireNonNull(authToken, "authToken");
    Objects.requireNonNull(openingHours, "openingHours");
    publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
        : publicBaseUrl;
    if (silenceSeconds < 1 || maxUtteranceSeconds < 2) {
      throw new IllegalArgumentException("silence and utterance limits must be positive");
    }
    if (maxCalls < 1 || maxCallsPerTenant < 1) {
      throw new IllegalArgumentException("call limits must be positive, but were " + maxCalls + " and "
          + maxCallsPerTenant);
    }
  }

  /** The settings with the auth token masked. */
  @Override
  public String toString() {
    return Secrets.toString(this, Set.of("authToken"));
  }

  /** The media stream URL Twilio connects to: {@code wss://<public host>/twilio/media}. */
  public String mediaStreamUrl() {
    return publicBaseUrl.replaceFirst("^http", "ws") + "/twilio/media";
  }
}
