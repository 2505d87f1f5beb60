package org.civicbot.bot.conversation;

import java.util.Locale;
import java.util.Set;

/**
 * How a conversation ended, in the finer grain of DESIGN's "Resolution, defined": resolved is {@link #CONFIRMED}
 * (the citizen said the answer helped) or {@link #ASSUMED} (the bot answered, the conversation ended with no handoff,
 * no negative feedback, no fallback last, and the citizen did not come back with the same question within 24 hours);
 * {@link #ESCALATED} is handed to a person or a callback; unresolved is {@link #UNRESOLVED} or {@link #ABANDONED}, the
 * citizen leaving while the bot waited on them (a clarification, a yes or no, the offer of a person) or having asked
 * nothing at all.
 */
public enum Ending {
  CONFIRMED, ASSUMED, ESCALATED, UNRESOLVED, ABANDONED;

  /** End reasons that are the citizen's own choice to finish, not leaving: never abandoned. */
  private static final Set<String> FINISHED = Set.of("goodbye", "length limit", "transferred");

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Ending fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** The coarse resolution stored beside it (and in the ENDED event). */
  public Resolution resolution() {
    return switch (this) {
      case CONFIRMED, ASSUMED -> Resolution.RESOLVED;
      case ESCALATED -> Resolution.ESCALATED;
      case UNRESOLVED, ABANDONED -> Resolution.UNRESOLVED;
    };
  }

  /** Judges a conversation from its state when it ends for {@code reason}. */
  public static Ending judge(ConversationState state, String reason) {
    if (state.handedOff()) {
      return ESCALATED;
    }
    if (state.lastFeedback().isPresent()) {
      return state.lastFeedback().get() ? CONFIRMED : UNRESOLVED;
    }
    // a text message offered after a spoken answer is a convenience, not a question the caller left open
    boolean waitedOnCitizen = !state.clarifyOptions().isEmpty() || state.offer().filter("callback"::equals).isPresent()
        || state.personOffered();
    if (state.messagesIn() == 0 || waitedOnCitizen && !FINISHED.contains(reason)) {
      return ABANDONED;
    }
    return state.answeredOnce() && !state.lastBotOutcome().filter("fallback"::equals).isPresent()
        ? ASSUMED : UNRESOLVED;
  }
}
