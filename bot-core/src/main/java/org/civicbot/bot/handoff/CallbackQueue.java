package org.civicbot.bot.handoff;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import org.civicbot.knowledge.Language;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Callback requests waiting for a person, in PostgreSQL. */
public interface CallbackQueue {

  /** The most requests one listing returns. */
  int MAX_LISTED = 500;

  static CallbackQueue create(Pool pool) {
    return new PgCallbackQueue(pool);
  }

  /**
   * Records that the caller of {@code conversationId} wants a call back on {@code phoneNumber} (E.164). A
   * conversation has at most one request: asking again returns the one already recorded.
   */
  Future<CallbackRequest> request(String tenantId, UUID conversationId, String phoneNumber, Language lang);

  /**
   * Records the way a web citizen who left a message outside opening hours can be reached ({@code phoneNumber} in
   * E.164 and/or {@code email}; {@code callBack}: they want a call). Leaving another replaces it.
   */
  Future<CallbackRequest> leaveMessage(String tenantId, UUID conversationId, Optional<String> phoneNumber,
                                       Optional<String> email, boolean callBack, Language lang);

  /** The request of a conversation, if it has one. */
  Future<Optional<CallbackRequest>> of(UUID conversationId);

  /** Requests oldest first; only the open ones unless {@code includeHandled}; one tenant or (empty) all. */
  Future<List<CallbackRequest>> list(Optional<String> tenantId, boolean includeHandled);

  /** Marks a request handled by {@code agent}; empty when there is no such request. Handling twice keeps the first. */
  Future<Optional<CallbackRequest>> markHandled(UUID id, String agent);
}
