package org.civicbot.bot.conversation;

import io.vertx.core.json.JsonObject;
import org.civicbot.knowledge.Language;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A turn's events held in memory, folded into the conversation's state as they are appended: what a stored turn
 * writes at the end (see {@link PgConversationStore}), and on its own a conversation that lives in memory only (a
 * replay of a regression case).
 */
public class MemoryTurn implements ConversationStore.Turn {
  protected final Conversation conversation;
  protected final int version;
  protected final List<ConversationEvent> added = new ArrayList<>();
  protected ConversationState state;
  protected int nextSeq;
  protected Language lang;
  protected Ending ended;
  protected Double firstAnswerMs;

  MemoryTurn(Conversation conversation, ConversationState state, int nextSeq) {
    this.conversation = conversation;
    this.state = state;
    this.version = nextSeq;
    this.nextSeq = nextSeq;
    this.lang = conversation.lang();
  }

  /** A new conversation of {@code tenantId} that is never stored. */
  public static MemoryTurn unstored(String tenantId, Language lang) {
    Instant now = Instant.now();
    return new MemoryTurn(new Conversation(UUID.randomUUID(), tenantId, "test", Optional.empty(), lang, now, now,
        Optional.empty(), Optional.empty()), ConversationState.initial(lang), 1);
  }

  @Override
  public Conversation conversation() {
    return conversation;
  }

  @Override
  public ConversationState state() {
    return state;
  }

  @Override
  public int version() {
    return version;
  }

  @Override
  public int append(EventType type, JsonObject payload) {
    ConversationEvent event = new ConversationEvent(nextSeq++, type, Instant.now(), payload);
    added.add(event);
    state = state.after(event);
    return event.seq();
  }

  @Override
  public void language(Language lang) {
    this.lang = lang;
  }

  /** A turn that does not end the conversation reopens it: a citizen may write again after saying goodbye. */
  @Override
  public void end(Ending ending) {
    this.ended = ending;
  }

  @Override
  public void firstAnswer(double millis) {
    this.firstAnswerMs = millis;
  }
}
