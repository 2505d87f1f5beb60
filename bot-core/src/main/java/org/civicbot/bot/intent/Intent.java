package org.civicbot.bot.intent;

import java.util.Locale;

/** Special intents recognized before the knowledge base is searched. */
public enum Intent {
  /** The citizen asks for a person. Counts anywhere in a message. */
  HUMAN,
  /** Somebody's life or health is in danger. Counts anywhere in a message and is answered first. */
  EMERGENCY,
  /** Thoughts of suicide or self-harm: answered first, with the crisis line. */
  SELF_HARM,
  GREETING,
  THANKS,
  GOODBYE,
  YES,
  NO,
  /**
   * A question about something no municipality handles (other authorities, companies, everyday matters): declined
   * unless the knowledge base is sure of an answer.
   */
  OFF_TOPIC;

  /** Intents that count only when the message holds nothing else. */
  public boolean wholeMessageOnly() {
    return this != HUMAN && this != EMERGENCY && this != SELF_HARM && this != OFF_TOPIC;
  }

  String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
