package org.civicbot.bot;

/**
 * What the engine asks the channel to do with a reply, beyond showing or speaking it. The channel reports how it
 * went with a {@link Signal}, and the engine answers that too, so every step is in the conversation's log.
 */
public enum ChannelAction {
  /** Show or speak the replies. */
  NONE,
  /** Send the replies (the answer and its link) to the citizen by text message instead of speaking them. */
  SEND_TEXT_MESSAGE,
  /** Speak the replies, then put the citizen through to a person. */
  TRANSFER,
  /** File a callback request for the number the citizen calls from, then {@link BotEngine#recordCallback}. */
  REQUEST_CALLBACK,
  /** Nobody is in: show the replies and a form to leave a message and a way to be contacted. */
  LEAVE_MESSAGE
}
