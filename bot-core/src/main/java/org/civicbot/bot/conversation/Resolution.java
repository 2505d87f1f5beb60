package org.civicbot.bot.conversation;

import java.util.List;
import java.util.Locale;

/** How a conversation ended for the citizen, as DESIGN defines it. */
public enum Resolution {
  RESOLVED, ESCALATED, UNRESOLVED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Judges a conversation from its events: escalated when it was handed to a person; resolved when the citizen said
   * an answer helped, or, without feedback, when the bot answered and neither negative feedback nor a fallback as the
   * last bot turn followed; unresolved otherwise (fallback last, negative feedback, abandoned).
   */
  public static Resolution judge(List<ConversationEvent> events) {
    Boolean lastFeedback = null;
    boolean answered = false;
    String lastBotOutcome = null;
    for (ConversationEvent e : events) {
      switch (e.type()) {
        case HANDOFF -> {
          return ESCALATED;
        }
        case FEEDBACK -> lastFeedback = e.payload().getBoolean("resolved");
        case REPLY_OUT -> {
          String outcome = e.payload().getString("outcome");
          if (!"smalltalk".equals(outcome)) {
            lastBotOutcome = outcome;
          }
          answered |= "answered".equals(outcome);
        }
        default -> {
        }
      }
    }
    if (lastFeedback != null) {
      return lastFeedback ? RESOLVED : UNRESOLVED;
    }
    return answered && !"fallback".equals(lastBotOutcome) ? RESOLVED : UNRESOLVED;
  }
}
