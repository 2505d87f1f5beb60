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
    return judge(ConversationState.of(org.civicbot.knowledge.Language.DA, events));
  }

  /** As {@link #judge(List)}, from the conversation's state (the fold of the same events): see {@link Ending}. */
  public static Resolution judge(ConversationState state) {
    return Ending.judge(state, "").resolution();
  }
}
