package org.civicbot.bot.handoff;

/** The conversation is not held by the agent asking (to release or close it), or it has ended. */
public final class NotHeld extends RuntimeException {
  public NotHeld(String message) {
    super(message, null, false, false);
  }
}
