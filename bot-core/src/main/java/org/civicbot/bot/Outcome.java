package org.civicbot.bot;

import java.util.Locale;

/** What the bot did with one message; the wire name is the lower-case constant name (see DESIGN, chat API). */
public enum Outcome {
  /** The best article was confident enough and was given as the answer. */
  ANSWERED,
  /** Two or three articles were close: the bot asks which one was meant. */
  CLARIFY,
  /** Nothing was confident: the bot says so and offers contact options and a person. */
  FALLBACK,
  /** The conversation was handed to a person. */
  HANDOFF,
  /** Greeting, thanks, goodbye or an acknowledgement of feedback. */
  SMALLTALK,
  /** A step of a task flow such as a booking. */
  FLOW,
  /** A person holds the conversation (or it waits for one): the message went to them and the bot stayed silent. */
  AGENT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Outcome fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
