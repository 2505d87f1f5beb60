package org.civicbot.bot.conversation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.civicbot.knowledge.Language;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Conversations and their append-only event logs, in PostgreSQL. */
public interface ConversationStore {

  /** How long a turn waits for a conversation another turn holds before it gives up. */
  Duration LOCK_WAIT = Duration.ofSeconds(5);

  static ConversationStore create(Vertx vertx, Pool pool) {
    return create(vertx, pool, LOCK_WAIT);
  }

  /** A store whose turns wait at most {@code lockWait} for a conversation another turn holds. */
  static ConversationStore create(Vertx vertx, Pool pool, Duration lockWait) {
    return new PgConversationStore(vertx, pool, lockWait);
  }

  /**
   * Creates a conversation with its {@link EventType#STARTED} event and, in the same transaction, the events its
   * first turn ({@code firstTurn}, which must not block) appends: a greeting.
   */
  <T> Future<T> create(String tenantId, String channel, Optional<String> externalId, Language lang,
                       Function<Turn, T> firstTurn);

  Future<Optional<Conversation>> find(UUID id);

  Future<Optional<Conversation>> findByExternalId(String tenantId, String channel, String externalId);

  /** Every conversation of a channel with that external id, across tenants (for the admin API). */
  Future<List<Conversation>> findByExternalId(String channel, String externalId);

  Future<List<ConversationEvent>> events(UUID id);

  /**
   * The conversation and its state as last committed, read without a lock: what a turn decides on before it takes
   * the lock; {@link Turn#version()} under the lock tells whether another turn came in between.
   * Fails with {@link UnknownConversationException} when there is no such conversation.
   */
  Future<Snapshot> snapshot(UUID id);

  /**
   * Runs one turn of a conversation under its lock: the row is locked ({@code SELECT ... FOR UPDATE NOWAIT}), so
   * turns of one conversation never interleave, not even across replicas; the events {@code work} appends are stored
   * in the same transaction with the state they lead to, and the returned future completes only after they are
   * committed. {@code work} runs while the lock is held: it must be quick and must not block. A conversation another
   * turn holds is tried again after a short pause without holding a database connection, for at most
   * {@link #LOCK_WAIT}, then fails with {@link ConversationBusyException}. Fails with
   * {@link UnknownConversationException} when there is no such conversation.
   */
  <T> Future<T> inTurn(UUID id, Function<Turn, Future<T>> work);

  /**
   * Ids of conversations that are not ended and had no activity since {@code before}; one waiting for a person or
   * held by one only when idle since {@code personBefore} (a person answers when back, a message left on Friday
   * evening waits for Monday).
   */
  Future<List<UUID>> idleSince(Instant before, Instant personBefore, int limit);

  /**
   * Marks a conversation as the one of a returning visitor ({@code visitorHash}: a hash of the widget's random
   * visitor id, never the id itself), so a return with the same question re-judges the earlier one.
   */
  Future<Void> setVisitor(UUID conversationId, byte[] visitorHash);

  /**
   * The citizen of {@code conversationId} came back with the same question ({@code article} answered again): their
   * conversations that ended as assumed resolved with that article within the last 24 hours become unresolved (an
   * event says so). Completes with how many were re-judged.
   */
  Future<Integer> rejudgeReturn(UUID conversationId, String article);

  /** Deletes conversations (with their events) whose last activity is before {@code before}; returns how many. */
  Future<Integer> deleteInactiveSince(Instant before);

  /**
   * Counts the conversations of the days up to {@code through} into the daily statistics once (see
   * {@code conversation_daily}), of one tenant or (empty) all; completes with how many were counted.
   */
  Future<Long> sealStatistics(Optional<String> tenant, java.time.LocalDate through);

  /**
   * The handoff queue or inbox: conversations handed to a person with {@code status} ({@code waiting} first in first
   * out, {@code active}, {@code released} or {@code closed}, most recent first), of one tenant or (empty) all, at most
   * {@code limit}.
   */
  Future<List<Handoff>> handoffs(Optional<String> tenant, String status, int limit);

  /**
   * Citizens' conversations (web and phone) the bot is answering now (not ended, active within {@code within}, held by
   * no person, something asked), most recent first, so an agent can watch one and take it over; as {@link Handoff}s with status {@code bot}.
   */
  Future<List<Handoff>> live(String tenant, java.time.Duration within, int limit);

  /**
   * Where a conversation waiting for a person stands: its place in its tenant's queue (1 = next), how many wait, and
   * the median time the tenant's last 20 claimed conversations of the past 14 days waited (empty without such
   * history). Empty when it is not waiting.
   */
  Future<Optional<QueuePlace>> queuePlace(UUID conversationId);

  /** A waiting conversation's place in the queue and how long the last ones waited (median, seconds). */
  record QueuePlace(int position, int waiting, Optional<Long> typicalWaitSeconds) {
  }

  /**
   * One conversation in the handoff queue or inbox.
   *
   * @param since       when it joined the queue (the waiting time counts from here)
   * @param agent       the holding agent's display name, while one holds it
   * @param reason      why it was handed over (requested, negative feedback, a callback, ...)
   * @param lastMessage the last message of the citizen or the agent, redacted as stored
   */
  record Handoff(UUID conversationId, String tenantId, String channel, Language lang, String status, Instant since,
                 Optional<String> agentId, Optional<String> agent, Optional<String> reason,
                 Optional<String> lastMessage) {
  }

  /**
   * A conversation as committed: its row, the engine's state and its version (the next event's sequence number,
   * which every stored turn increases).
   */
  record Snapshot(Conversation conversation, ConversationState state, int version) {
  }

  /** One turn in progress under the conversation's lock: the state so far, and the events to add. */
  interface Turn {
    Conversation conversation();

    /** The state after the events committed so far and the ones appended in this turn. */
    ConversationState state();

    /** The conversation's version when the lock was taken (see {@link Snapshot#version()}). */
    int version();

    /** Queues an event; returns its sequence number. */
    int append(EventType type, JsonObject payload);

    /** Changes the conversation's language (stored with the events). */
    void language(Language lang);

    /** Marks the conversation ended as {@code ending} (stored with the events and in its row, for statistics). */
    void end(Ending ending);

    /** How long the engine took to answer the citizen's first message (stored in its row, for statistics). */
    void firstAnswer(double millis);
  }

  /** Another turn held the conversation for longer than {@link #LOCK_WAIT}. */
  final class ConversationBusyException extends RuntimeException {
    public ConversationBusyException(UUID id) {
      super("conversation " + id + " is busy with another turn");
    }
  }

  /** There is no conversation with the requested id. */
  final class UnknownConversationException extends RuntimeException {
    public UnknownConversationException(UUID id) {
      super("no conversation " + id);
    }
  }
}
