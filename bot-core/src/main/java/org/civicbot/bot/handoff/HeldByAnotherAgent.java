package org.civicbot.bot.handoff;

/** Another agent holds the conversation: one owner at a time, so this one may not claim, write, release or close it. */
public final class HeldByAnotherAgent extends RuntimeException {
  private final String holder;

  public HeldByAnotherAgent(String holder) {
    super("the conversation is held by " + holder, null, false, false);
    this.holder = holder;
  }

  /** The holding agent's display name. */
  public String holder() {
    return holder;
  }
}
