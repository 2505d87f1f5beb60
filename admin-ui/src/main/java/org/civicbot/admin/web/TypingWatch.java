package org.civicbot.admin.web;

import org.civicbot.bot.BotEngine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which citizens are typing to the agent who holds their conversation: the engine's typing pushes (this replica's and,
 * through the relay, the others'), remembered for {@link #FOR}, for the inbox transcript's next refresh.
 */
final class TypingWatch {
  static final Duration FOR = Duration.ofSeconds(6);
  private static final int MAX = 10_000;

  private final Map<UUID, Instant> typing = new ConcurrentHashMap<>();

  TypingWatch(BotEngine engine) {
    engine.addListener((id, pushed) -> {
      if ("typing".equals(pushed.type()) && "citizen".equals(pushed.from())) {
        if (typing.size() > MAX) {
          Instant old = Instant.now().minus(FOR);
          typing.values().removeIf(at -> at.isBefore(old));
        }
        typing.put(id, Instant.now());
      } else if ("message".equals(pushed.type()) && "citizen".equals(pushed.from())) {
        typing.remove(id); // the message came: no longer typing
      }
    });
  }

  boolean citizenTyping(UUID conversationId) {
    Instant at = typing.get(conversationId);
    return at != null && at.isAfter(Instant.now().minus(FOR));
  }
}
