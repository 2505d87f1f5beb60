package org.civicbot.bot;

import io.vertx.core.json.JsonObject;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationEvent;
import org.civicbot.bot.conversation.ConversationState;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.conversation.EventType;
import org.civicbot.bot.conversation.Ending;
import org.civicbot.knowledge.Language;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A conversation that lives in memory only: a replay's turns fold into its state exactly as stored ones do. */
final class ReplayTurn implements ConversationStore.Turn {
  private final Conversation conversation;
  private ConversationState state;
  private int nextSeq;

  ReplayTurn(String tenantId, Language lang) {
    Instant now = Instant.now();
    this.conversation = new Conversation(UUID.randomUUID(), tenantId, "test", Optional.empty(), lang, now, now,
        Optional.empty(), Optional.empty());
    this.state = ConversationState.initial(lang);
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
    return nextSeq;
  }

  @Override
  public int append(EventType type, JsonObject payload) {
    ConversationEvent event = new ConversationEvent(nextSeq++, type, Instant.now(), payload);
    state = state.after(event);
    return event.seq();
  }

  @Override
  public void language(Language lang) {
  }

  @Override
  public void end(Ending ending) {
  }
}
