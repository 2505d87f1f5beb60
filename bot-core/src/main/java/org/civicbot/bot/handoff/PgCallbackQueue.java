package org.civicbot.bot.handoff;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.civicbot.knowledge.Language;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link CallbackQueue} on PostgreSQL; every statement is parameterized. */
final class PgCallbackQueue implements CallbackQueue {
  private static final String COLUMNS = "callback_id, tenant_id, conversation_id, phone_number, email, channel,"
      + " call_back, lang, requested_at, handled_at, handled_by";

  private final Pool pool;

  PgCallbackQueue(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<CallbackRequest> request(String tenantId, UUID conversationId, String phoneNumber, Language lang) {
    if (!CallbackRequest.isPhoneNumber(phoneNumber)) {
      return Future.failedFuture(new IllegalArgumentException("'" + phoneNumber + "' is not an E.164 number"));
    }
    // the no-op update makes RETURNING give the existing row when the conversation already has a request
    return pool.preparedQuery("INSERT INTO callback_requests (callback_id, tenant_id, conversation_id, phone_number,"
            + " lang) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (conversation_id) DO UPDATE"
            + " SET conversation_id = EXCLUDED.conversation_id RETURNING " + COLUMNS)
        .execute(Tuple.of(UUID.randomUUID(), tenantId, conversationId, phoneNumber, lang.code()))
        .map(rows -> toRequest(rows.iterator().next()));
  }

  @Override
  public Future<CallbackRequest> leaveMessage(String tenantId, UUID conversationId, Optional<String> phoneNumber,
                                              Optional<String> email, boolean callBack, Language lang) {
    if (phoneNumber.isEmpty() && email.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("a phone number or an e-mail address is needed"));
    }
    if (phoneNumber.filter(n -> !CallbackRequest.isPhoneNumber(n)).isPresent()
        || email.filter(e -> !CallbackRequest.isEmail(e)).isPresent()) {
      return Future.failedFuture(new IllegalArgumentException("not a phone number or an e-mail address"));
    }
    // the latest way to be reached wins, and a request handled before is open again
    return pool.preparedQuery("INSERT INTO callback_requests (callback_id, tenant_id, conversation_id, phone_number,"
            + " email, channel, call_back, lang) VALUES ($1, $2, $3, $4, $5, 'web', $6, $7)"
            + " ON CONFLICT (conversation_id) DO UPDATE SET phone_number = EXCLUDED.phone_number,"
            + " email = EXCLUDED.email, call_back = EXCLUDED.call_back, requested_at = now(), handled_at = NULL,"
            + " handled_by = NULL RETURNING " + COLUMNS)
        .execute(Tuple.of(UUID.randomUUID(), tenantId, conversationId, phoneNumber.orElse(null), email.orElse(null),
            phoneNumber.isPresent() && callBack, lang.code()))
        .map(rows -> toRequest(rows.iterator().next()));
  }

  @Override
  public Future<Optional<CallbackRequest>> of(UUID conversationId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM callback_requests WHERE conversation_id = $1")
        .execute(Tuple.of(conversationId))
        .map(rows -> all(rows).stream().findFirst());
  }

  @Override
  public Future<List<CallbackRequest>> list(Optional<String> tenantId, boolean includeHandled) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM callback_requests"
            + " WHERE ($1::text IS NULL OR tenant_id = $1) AND ($2 OR handled_at IS NULL)"
            + " ORDER BY requested_at LIMIT " + MAX_LISTED)
        .execute(Tuple.of(tenantId.orElse(null), includeHandled))
        .map(PgCallbackQueue::all);
  }

  @Override
  public Future<Optional<CallbackRequest>> markHandled(UUID id, String agent) {
    return pool.preparedQuery("UPDATE callback_requests SET handled_at = COALESCE(handled_at, now()),"
            + " handled_by = COALESCE(handled_by, $2) WHERE callback_id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, agent))
        .map(rows -> all(rows).stream().findFirst());
  }

  private static List<CallbackRequest> all(RowSet<Row> rows) {
    List<CallbackRequest> requests = new ArrayList<>();
    rows.forEach(row -> requests.add(toRequest(row)));
    return requests;
  }

  private static CallbackRequest toRequest(Row row) {
    OffsetDateTime handled = row.getOffsetDateTime("handled_at");
    return new CallbackRequest(row.getUUID("callback_id"), row.getString("tenant_id"),
        row.getUUID("conversation_id"), Optional.ofNullable(row.getString("phone_number")),
        Optional.ofNullable(row.getString("email")), row.getString("channel"), row.getBoolean("call_back"),
        Language.fromCode(row.getString("lang")),
        row.getOffsetDateTime("requested_at").toInstant(), Optional.ofNullable(handled).map(OffsetDateTime::toInstant),
        Optional.ofNullable(row.getString("handled_by")));
  }
}
