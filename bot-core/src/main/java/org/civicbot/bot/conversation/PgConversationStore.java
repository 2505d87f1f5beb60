package org.civicbot.bot.conversation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.civicbot.knowledge.Language;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** {@link ConversationStore} on PostgreSQL through the Vert.x reactive client; every statement is parameterized. */
final class PgConversationStore implements ConversationStore {

  private static final String COLUMNS = "conversation_id, tenant_id, channel, external_id, lang, started_at,"
      + " last_activity_at, ended_at, resolution, next_seq";

  private final Pool pool;

  PgConversationStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Conversation> create(String tenantId, String channel, Optional<String> externalId, Language lang) {
    UUID id = UUID.randomUUID();
    JsonObject started = new JsonObject().put("channel", channel).put("externalId", externalId.orElse(null))
        .put("lang", lang.code());
    return pool.withTransaction(conn -> conn
        .preparedQuery("INSERT INTO conversations (conversation_id, tenant_id, channel, external_id, lang, next_seq)"
            + " VALUES ($1, $2, $3, $4, $5, 2) RETURNING " + COLUMNS)
        .execute(Tuple.of(id, tenantId, channel, externalId.orElse(null), lang.code()))
        .compose(rows -> conn.preparedQuery("INSERT INTO conversation_events (tenant_id, conversation_id, seq, type,"
                + " payload) VALUES ($1, $2, 1, $3, $4)")
            .execute(Tuple.of(tenantId, id, EventType.STARTED.wireName(), started))
            .map(ignored -> toConversation(rows.iterator().next()))));
  }

  @Override
  public Future<Optional<Conversation>> find(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM conversations WHERE conversation_id = $1")
        .execute(Tuple.of(id)).map(PgConversationStore::first);
  }

  @Override
  public Future<Optional<Conversation>> findByExternalId(String tenantId, String channel, String externalId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM conversations"
            + " WHERE tenant_id = $1 AND channel = $2 AND external_id = $3")
        .execute(Tuple.of(tenantId, channel, externalId)).map(PgConversationStore::first);
  }

  @Override
  public Future<List<Conversation>> findByExternalId(String channel, String externalId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM conversations WHERE channel = $1 AND external_id = $2"
            + " ORDER BY started_at")
        .execute(Tuple.of(channel, externalId)).map(PgConversationStore::all);
  }

  @Override
  public Future<List<ConversationEvent>> events(UUID id) {
    return pool.preparedQuery("SELECT seq, type, at, payload FROM conversation_events WHERE conversation_id = $1"
            + " ORDER BY seq")
        .execute(Tuple.of(id)).map(PgConversationStore::toEvents);
  }

  @Override
  public <T> Future<T> inTurn(UUID id, Function<Turn, Future<T>> work) {
    return pool.withTransaction(conn -> conn
        .preparedQuery("SELECT " + COLUMNS + " FROM conversations WHERE conversation_id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new UnknownConversationException(id));
          }
          Row row = rows.iterator().next();
          Conversation conversation = toConversation(row);
          int nextSeq = row.getInteger("next_seq");
          return conn.preparedQuery("SELECT seq, type, at, payload FROM conversation_events"
                  + " WHERE conversation_id = $1 ORDER BY seq")
              .execute(Tuple.of(id))
              .compose(eventRows -> {
                PendingTurn turn = new PendingTurn(conversation, toEvents(eventRows), nextSeq);
                return work.apply(turn).compose(result -> turn.store(conn).map(result));
              });
        }));
  }

  @Override
  public Future<List<UUID>> idleSince(Instant before, int limit) {
    return pool.preparedQuery("SELECT conversation_id FROM conversations WHERE ended_at IS NULL"
            + " AND last_activity_at < $1 ORDER BY last_activity_at LIMIT $2")
        .execute(Tuple.of(before.atOffset(ZoneOffset.UTC), limit))
        .map(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getUUID(0)));
          return ids;
        });
  }

  @Override
  public Future<Integer> deleteInactiveSince(Instant before) {
    return pool.preparedQuery("DELETE FROM conversations WHERE last_activity_at < $1")
        .execute(Tuple.of(before.atOffset(ZoneOffset.UTC)))
        .map(RowSet::rowCount);
  }

  private static final class PendingTurn implements Turn {
    private final Conversation conversation;
    private final List<ConversationEvent> events;
    private final List<ConversationEvent> added = new ArrayList<>();
    private int nextSeq;
    private Language lang;
    private Resolution ended;

    PendingTurn(Conversation conversation, List<ConversationEvent> events, int nextSeq) {
      this.conversation = conversation;
      this.events = new ArrayList<>(events);
      this.nextSeq = nextSeq;
      this.lang = conversation.lang();
    }

    @Override
    public Conversation conversation() {
      return conversation;
    }

    @Override
    public List<ConversationEvent> events() {
      return List.copyOf(events);
    }

    @Override
    public int append(EventType type, JsonObject payload) {
      ConversationEvent event = new ConversationEvent(nextSeq++, type, Instant.now(), payload);
      events.add(event);
      added.add(event);
      return event.seq();
    }

    @Override
    public void language(Language lang) {
      this.lang = lang;
    }

    /** A turn that does not end the conversation reopens it: a citizen may write again after saying goodbye. */
    @Override
    public void end(Resolution resolution) {
      this.ended = resolution;
    }

    Future<Void> store(SqlConnection conn) {
      if (added.isEmpty()) {
        return Future.succeededFuture();
      }
      List<Tuple> batch = new ArrayList<>();
      for (ConversationEvent e : added) {
        batch.add(Tuple.of(conversation.tenantId(), conversation.id(), e.seq(), e.type().wireName(),
            e.at().atOffset(ZoneOffset.UTC), e.payload()));
      }
      return conn.preparedQuery("INSERT INTO conversation_events (tenant_id, conversation_id, seq, type, at, payload)"
              + " VALUES ($1, $2, $3, $4, $5, $6)")
          .executeBatch(batch)
          .compose(ignored -> conn.preparedQuery("UPDATE conversations SET next_seq = $2, lang = $3,"
                  + " last_activity_at = now(), ended_at = CASE WHEN $4::text IS NULL THEN NULL ELSE now() END,"
                  + " resolution = $4::text WHERE conversation_id = $1")
              .execute(Tuple.of(conversation.id(), nextSeq, lang.code(),
                  ended == null ? null : ended.wireName())))
          .mapEmpty();
    }
  }

  private static Optional<Conversation> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(toConversation(rows.iterator().next()));
  }

  private static List<Conversation> all(RowSet<Row> rows) {
    List<Conversation> result = new ArrayList<>();
    rows.forEach(r -> result.add(toConversation(r)));
    return result;
  }

  private static Conversation toConversation(Row row) {
    return new Conversation(
        row.getUUID("conversation_id"),
        row.getString("tenant_id"),
        row.getString("channel"),
        Optional.ofNullable(row.getString("external_id")),
        Language.fromCode(row.getString("lang")),
        instant(row.getOffsetDateTime("started_at")),
        instant(row.getOffsetDateTime("last_activity_at")),
        Optional.ofNullable(row.getOffsetDateTime("ended_at")).map(PgConversationStore::instant),
        Optional.ofNullable(row.getString("resolution")).map(r -> Resolution.valueOf(r.toUpperCase())));
  }

  private static List<ConversationEvent> toEvents(RowSet<Row> rows) {
    List<ConversationEvent> events = new ArrayList<>();
    for (Row r : rows) {
      Object payload = r.getValue("payload");
      events.add(new ConversationEvent(r.getInteger("seq"), EventType.fromWire(r.getString("type")),
          instant(r.getOffsetDateTime("at")), payload instanceof JsonObject json ? json : new JsonObject()));
    }
    return events;
  }

  private static Instant instant(OffsetDateTime time) {
    return time.toInstant();
  }
}
