package org.civicbot.bot.conversation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.civicbot.knowledge.Language;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Conversations and their append-only event logs, in PostgreSQL. */
public interface ConversationStore {

  static ConversationStore create(Pool pool) {
    return new PgConversationStore(pool);
  }

  /** Creates a conversation with its {@link EventType#STARTED} event. */
  Future<Conversation> create(String tenantId, String channel, Optional<String> externalId, Language lang);

  Future<Optional<Conversation>> find(UUID id);

  Future<Optional<Conversation>> findByExternalId(String tenantId, String channel, String externalId);

  /** Every conversation of a channel with that external id, across tenants (for the admin API). */
  Future<List<Conversation>> findByExternalId(String channel, String externalId);

  Future<List<ConversationEvent>> events(UUID id);

  /**
   * Runs one turn of a conversation under its lock: the row is locked ({@code SELECT ... FOR UPDATE}), so turns of
   * one conversation never interleave, not even across replicas; the events {@code work} appends are stored in the
   * same transaction, and the returned future completes only after they are committed.
   * Fails with {@link UnknownConversationException} when there is no such conversation.
   */
  <T> Future<T> inTurn(UUID id, Function<Turn, Future<T>> work);

  /** Ids of conversations that are not ended and had no activity since {@code before}. */
  Future<List<UUID>> idleSince(Instant before, int limit);

  /** Deletes conversations (with their events) whose last activity is before {@code before}; returns how many. */
  Future<Integer> deleteInactiveSince(Instant before);

  /** One turn in progress: the log so far, and the events to add. */
  interface Turn {
    Conversation conversation();

    List<ConversationEvent> events();

    /** Queues an event; returns its sequence number. */
    int append(EventType type, JsonObject payload);

    /** Changes the conversation's language (stored with the events). */
    void language(Language lang);

    /** Marks the conversation ended with {@code resolution} (stored with the events). */
    void end(Resolution resolution);
  }

  /** There is no conversation with the requested id. */
  final class UnknownConversationException extends RuntimeException {
    public UnknownConversationException(UUID id) {
      super("no conversation " + id);
    }
  }
}
