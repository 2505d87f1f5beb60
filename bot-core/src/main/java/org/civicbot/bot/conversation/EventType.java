package org.civicbot.bot.conversation;

import java.util.Locale;

/** The kinds of events in a conversation's log. */
public enum EventType {
  /** The conversation began: channel, external id, language. */
  STARTED,
  /** A citizen's message, redacted: text, lang. */
  MESSAGE_IN,
  /** How the engine decided: the decision trace. */
  DECISION,
  /** What the bot answered: outcome, lang, replies, articles. */
  REPLY_OUT,
  /** The citizen said whether an answer helped: resolved, turn. */
  FEEDBACK,
  /** The conversation was handed to a person (or a callback requested): reason. */
  HANDOFF,
  /** A person's message to the citizen: agent, text. */
  AGENT_MESSAGE,
  /** A person took the conversation from the queue or from the bot: agentId, agent (display name). */
  CLAIMED,
  /** The person holding the conversation gave it back to the bot: agentId, agent. */
  RELEASED,
  /** Something the channel noticed that is not a message in words (silence, a key, a text message sent): kind. */
  SIGNAL,
  /** The conversation ended (goodbye, hang-up, timeout): reason, resolution. */
  ENDED,
  /** How an ended conversation went was judged again (the citizen came back with the same question): outcome. */
  REJUDGED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static EventType fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
