package org.civicbot.channels.web;

import java.time.Duration;

/**
 * Limits of the web chat.
 *
 * @param defaultTenant         the tenant of a conversation whose request names none
 * @param maxTextLength         the longest message a citizen may send (longer: 413)
 * @param clientPerMinute       requests a minute one client address may make
 * @param conversationPerMinute messages a minute one conversation may receive
 * @param turnDeadline          how long a message may take to be answered before the citizen is told to try again
 * @param zone                  the time zone of the times in the citizen's copy of the conversation
 *                              (503)
 */
public record WebChatSettings(String defaultTenant, int maxTextLength, int clientPerMinute,
                              int conversationPerMinute, Duration turnDeadline, java.time.ZoneId zone) {

  public static final int MAX_TEXT_LENGTH = 2_000;

  public static WebChatSettings defaults(String tenant) {
    return new WebChatSettings(tenant, MAX_TEXT_LENGTH, 60, 20, Duration.ofSeconds(10),
        java.time.ZoneId.of("Europe/Copenhagen"));
  }

  public WebChatSettings withRateLimits(int perClient, int perConversation) {
    return new WebChatSettings(defaultTenant, maxTextLength, perClient, perConversation, turnDeadline, zone);
  }

  /** The time zone the citizen's copy of the conversation gives times in. */
  public WebChatSettings withZone(java.time.ZoneId other) {
    return new WebChatSettings(defaultTenant, maxTextLength, clientPerMinute, conversationPerMinute, turnDeadline,
        other);
  }
}
