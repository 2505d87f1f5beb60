package org.civicbot.bot.conversation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.civicbot.knowledge.Language;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** {@link ConversationStore} on PostgreSQL through the Vert.x reactive client; every statement is parameterized. */
final class PgConversationStore implements ConversationStore {

  private static final String COLUMNS = "conversation_id, tenant_id, channel, external_id, lang, started_at,"
      + " last_activity_at, ended_at, resolution, next_seq, state";
  /** PostgreSQL's SQLSTATE for a lock that NOWAIT could not take. */
  private static final String LOCK_NOT_AVAILABLE = "55P03";
  private static final long FIRST_PAUSE_MS = 5;
  private static final long LONGEST_PAUSE_MS = 200;

  private final Vertx vertx;
  private final Pool pool;
  private final Duration lockWait;

  PgConversationStore(Vertx vertx, Pool pool, Duration lockWait) {
    this.vertx = vertx;
    this.pool = pool;
    this.lockWait = lockWait;
  }

  @Override
  public <T> Future<T> create(String tenantId, String channel, Optional<String> externalId, Language lang,
                              Function<Turn, T> firstTurn) {
    UUID id = UUID.randomUUID();
    JsonObject started = new JsonObject().put("channel", channel).put("externalId", externalId.orElse(null))
        .put("lang", lang.code());
    return pool.withTransaction(conn -> conn
        .preparedQuery("INSERT INTO conversations (conversation_id, tenant_id, channel, external_id, lang, next_seq)"
            + " VALUES ($1, $2, $3, $4, $5, 1) RETURNING " + COLUMNS)
        .execute(Tuple.of(id, tenantId, channel, externalId.orElse(null), lang.code()))
        .compose(rows -> {
          PendingTurn turn = new PendingTurn(toConversation(rows.iterator().next()), ConversationState.initial(lang),
              1);
          turn.append(EventType.STARTED, started);
          T result = firstTurn.apply(turn);
          return turn.store(conn).map(result);
        }));
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
  public Future<Snapshot> snapshot(UUID id) {
    return pool.withConnection(conn -> committed(conn, id, "")
        .map(c -> new Snapshot(toConversation(c.row()), c.state(), c.row().getInteger("next_seq"))));
  }

  @Override
  public <T> Future<T> inTurn(UUID id, Function<Turn, Future<T>> work) {
    return attempt(id, work, System.nanoTime() + lockWait.toNanos(), FIRST_PAUSE_MS);
  }

  /** One try at the lock; when another turn holds it, the connection goes back to the pool while this one waits. */
  private <T> Future<T> attempt(UUID id, Function<Turn, Future<T>> work, long deadline, long pause) {
    return pool.withTransaction(conn -> committed(conn, id, " FOR UPDATE NOWAIT").compose(c -> {
          PendingTurn turn = new PendingTurn(toConversation(c.row()), c.state(), c.row().getInteger("next_seq"));
          return work.apply(turn).compose(result -> turn.store(conn).map(result));
        }))
        .recover(e -> {
          if (!(e instanceof PgException pg && LOCK_NOT_AVAILABLE.equals(pg.getSqlState()))) {
            return Future.failedFuture(e);
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return Future.failedFuture(new ConversationBusyException(id));
          }
          // a little randomness, so turns that met at the lock do not meet again
          long wait = Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1,
              pause + ThreadLocalRandom.current().nextLong(pause + 1));
          return vertx.timer(wait, TimeUnit.MILLISECONDS)
              .compose(ignored -> attempt(id, work, deadline, Math.min(LONGEST_PAUSE_MS, pause * 2)));
        });
  }

  /** A conversation's row and the state it holds. */
  private record Committed(Row row, ConversationState state) {
  }

  /** The conversation's row (locked as {@code lock} says) and its state; fails when there is no such conversation. */
  private static Future<Committed> committed(SqlConnection conn, UUID id, String lock) {
    return conn.preparedQuery("SELECT " + COLUMNS + " FROM conversations WHERE conversation_id = $1" + lock)
        .execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new UnknownConversationException(id));
          }
          Row row = rows.iterator().next();
          return state(conn, row).map(state -> new Committed(row, state));
        });
  }

  /** The row's state, or for a conversation stored before states were kept, the fold of its whole log. */
  private static Future<ConversationState> state(SqlConnection conn, Row row) {
    Object stored = row.getValue("state");
    if (stored instanceof JsonObject json) {
      return Future.succeededFuture(ConversationState.fromJson(json));
    }
    Language lang = Language.fromCode(row.getString("lang"));
    return conn.preparedQuery("SELECT seq, type, at, payload FROM conversation_events WHERE conversation_id = $1"
            + " ORDER BY seq")
        .execute(Tuple.of(row.getUUID("conversation_id")))
        .map(rows -> ConversationState.of(lang, toEvents(rows)));
  }

  @Override
  public Future<List<UUID>> idleSince(Instant before, Instant personBefore, int limit) {
    return pool.preparedQuery("SELECT conversation_id FROM conversations WHERE ended_at IS NULL"
            + " AND last_activity_at < $1 AND (coalesce(state ->> 'owner', 'bot') = 'bot' OR last_activity_at < $3)"
            + " ORDER BY last_activity_at LIMIT $2")
        .execute(Tuple.of(before.atOffset(ZoneOffset.UTC), limit, personBefore.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getUUID(0)));
          return ids;
        });
  }

  @Override
  public Future<Void> setVisitor(UUID conversationId, byte[] visitorHash) {
    return pool.preparedQuery("UPDATE conversations SET visitor_hash = $2 WHERE conversation_id = $1")
        .execute(Tuple.of(conversationId, io.vertx.core.buffer.Buffer.buffer(visitorHash))).mapEmpty();
  }

  @Override
  public Future<Integer> rejudgeReturn(UUID conversationId, String article) {
    return pool.preparedQuery(REJUDGE).execute(Tuple.of(conversationId, article)).map(RowSet::rowCount);
  }

  private static final String REJUDGE = """
      WITH me AS (SELECT tenant_id, visitor_hash FROM conversations
                   WHERE conversation_id = $1 AND visitor_hash IS NOT NULL),
      earlier AS (SELECT c.conversation_id FROM conversations c JOIN me ON c.tenant_id = me.tenant_id
                   AND c.visitor_hash = me.visitor_hash
                   WHERE c.conversation_id <> $1 AND c.outcome = 'assumed' AND c.answered_article = $2
                     AND c.ended_at > now() - interval '24 hours'
                   FOR UPDATE OF c),
      changed AS (UPDATE conversations SET outcome = 'unresolved', resolution = 'unresolved', next_seq = next_seq + 1
                   WHERE conversation_id IN (SELECT conversation_id FROM earlier)
                   RETURNING tenant_id, conversation_id, next_seq - 1 AS seq)
      INSERT INTO conversation_events (tenant_id, conversation_id, seq, type, payload)
      SELECT tenant_id, conversation_id, seq, 'rejudged', jsonb_build_object('outcome', 'unresolved',
             'resolution', 'unresolved', 'reason', 'returned with the same question', 'article', $2::text,
             'returnedIn', $1::text)
        FROM changed
      """;

  @Override
  public Future<Integer> deleteInactiveSince(Instant before) {
    // the figures of what is deleted from days not sealed yet are kept (statistics outlive the transcripts)
    return pool.withTransaction(conn -> conn.query(DailyFigures.LOCK).execute()
        .compose(locked -> conn.preparedQuery(DELETE_KEEPING_FIGURES)
            .execute(Tuple.of(before.atOffset(ZoneOffset.UTC))))
        .map(rows -> rows.iterator().next().getLong("deleted").intValue()));
  }

  private static final String DELETE_KEEPING_FIGURES = "WITH gone AS (DELETE FROM conversations"
      + " WHERE last_activity_at < $1 RETURNING " + DailyFigures.ROW_COLUMNS + "),"
      + " counted AS (SELECT g.* FROM gone g LEFT JOIN stats_sealed s ON s.tenant_id = g.tenant_id"
      + " WHERE s.through IS NULL OR g.day > s.through), " + DailyFigures.ADD
      + " SELECT (SELECT count(*) FROM gone) AS deleted, (SELECT count(*) FROM daily) AS days";

  /**
   * Counts the conversations of every day up to {@code through} (UTC) into the daily figures, once: a day is sealed
   * when its conversations can no longer change much (they ended, and the 24-hour return that re-judges them is
   * over). At most a month per tenant per statement, so a first run on a large database stays within the statement
   * timeout. Completes with the number of conversations counted.
   */
  @Override
  public Future<Long> sealStatistics(Optional<String> tenant, LocalDate through) {
    return pool.withTransaction(conn -> conn.query(DailyFigures.LOCK).execute()
        .compose(locked -> sealChunk(conn, tenant, through, 0L)));
  }

  private Future<Long> sealChunk(SqlConnection conn, Optional<String> tenant, LocalDate through, long counted) {
    return conn.preparedQuery(SEAL).execute(Tuple.of(through, tenant.orElse(null))).compose(rows -> {
      Row r = rows.iterator().next();
      long total = counted + r.getLong("counted");
      return r.getLong("remaining") > 0 ? sealChunk(conn, tenant, through, total) : Future.succeededFuture(total);
    });
  }

  private static final String SEAL = """
      WITH t AS (SELECT tn.tenant_id, COALESCE(s.through,
                        (SELECT (min(c.started_at) AT TIME ZONE 'UTC')::date - 1 FROM conversations c
                          WHERE c.tenant_id = tn.tenant_id), $1) AS after
                   FROM tenants tn LEFT JOIN stats_sealed s ON s.tenant_id = tn.tenant_id
                  WHERE $2::text IS NULL OR tn.tenant_id = $2),
      r AS (SELECT tenant_id, after, LEAST(after + 31, $1) AS upto FROM t WHERE after < $1),
      counted AS (SELECT c.tenant_id, (c.started_at AT TIME ZONE 'UTC')::date AS day, c.channel, c.lang,
                         COALESCE(c.outcome, 'open') AS outcome, c.answered_article,
                         LEAST(COALESCE(c.messages_in, 0), 20) AS turns,
                         extract(hour FROM c.started_at AT TIME ZONE 'UTC')::smallint AS hour,
                         {bucket} AS bucket
                    FROM r JOIN conversations c ON c.tenant_id = r.tenant_id
                     AND c.started_at >= (r.after + 1)::timestamp AT TIME ZONE 'UTC'
                     AND c.started_at < (r.upto + 1)::timestamp AT TIME ZONE 'UTC'),
      """.replace("{bucket}", FirstAnswer.bucketSql("c.first_answer_ms")) + DailyFigures.ADD + """
      , sealed AS (INSERT INTO stats_sealed (tenant_id, through) SELECT tenant_id, upto FROM r
                   ON CONFLICT (tenant_id) DO UPDATE SET through = EXCLUDED.through RETURNING 1)
      SELECT (SELECT count(*) FROM counted) AS counted, (SELECT count(*) FROM r WHERE upto < $1) AS remaining,
             (SELECT count(*) FROM sealed) AS tenants
      """;

  @Override
  public Future<List<Handoff>> handoffs(Optional<String> tenant, String status, int limit) {
    String order = "waiting".equals(status) ? "h.queued_at, h.conversation_id" : "h.updated_at DESC, h.conversation_id";
    return pool.preparedQuery("""
            SELECT h.conversation_id, h.tenant_id, h.channel, h.lang, h.status, h.queued_at, h.agent_id, h.agent_name,
                   h.reason, last.text AS last_message
              FROM handoffs h
              LEFT JOIN LATERAL (SELECT e.payload ->> 'text' AS text FROM conversation_events e
                                  WHERE e.conversation_id = h.conversation_id AND e.type IN ('message_in', 'agent_message')
                                  ORDER BY e.seq DESC LIMIT 1) last ON true
             WHERE h.status = $1 AND ($2::text IS NULL OR h.tenant_id = $2)
             ORDER BY""" + " " + order + " LIMIT $3")
        .execute(Tuple.of(status, tenant.orElse(null), limit))
        .map(rows -> {
          List<Handoff> list = new ArrayList<>();
          for (Row r : rows) {
            list.add(new Handoff(r.getUUID("conversation_id"), r.getString("tenant_id"), r.getString("channel"),
                Language.fromCode(r.getString("lang")), r.getString("status"),
                instant(r.getOffsetDateTime("queued_at")), Optional.ofNullable(r.getString("agent_id")),
                Optional.ofNullable(r.getString("agent_name")), Optional.ofNullable(r.getString("reason")),
                Optional.ofNullable(r.getString("last_message"))));
          }
          return list;
        });
  }

  @Override
  public Future<List<Handoff>> live(String tenant, java.time.Duration within, int limit) {
    return pool.preparedQuery("""
            SELECT c.conversation_id, c.tenant_id, c.channel, c.lang, c.started_at, last.text AS last_message
              FROM conversations c
              LEFT JOIN LATERAL (SELECT e.payload ->> 'text' AS text FROM conversation_events e
                                  WHERE e.conversation_id = c.conversation_id AND e.type = 'message_in'
                                  ORDER BY e.seq DESC LIMIT 1) last ON true
             WHERE c.ended_at IS NULL AND c.tenant_id = $1 AND c.channel IN ('web', 'phone')
               AND c.last_activity_at > now() - make_interval(secs => $2)
               AND coalesce(c.state ->> 'owner', 'bot') = 'bot' AND last.text IS NOT NULL
             ORDER BY c.last_activity_at DESC LIMIT $3""")
        .execute(Tuple.of(tenant, (double) within.toSeconds(), limit))
        .map(rows -> {
          List<Handoff> list = new ArrayList<>();
          for (Row r : rows) {
            list.add(new Handoff(r.getUUID("conversation_id"), r.getString("tenant_id"), r.getString("channel"),
                Language.fromCode(r.getString("lang")), "bot", instant(r.getOffsetDateTime("started_at")),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.ofNullable(r.getString("last_message"))));
          }
          return list;
        });
  }

  @Override
  public Future<Optional<QueuePlace>> queuePlace(UUID conversationId) {
    return pool.preparedQuery("""
            WITH me AS (SELECT tenant_id, queued_at FROM handoffs WHERE conversation_id = $1 AND status = 'waiting')
            SELECT (SELECT count(*) FROM handoffs h WHERE h.tenant_id = me.tenant_id AND h.status = 'waiting'
                       AND (h.queued_at, h.conversation_id) <= (me.queued_at, $1)) AS position,
                   (SELECT count(*) FROM handoffs h WHERE h.tenant_id = me.tenant_id AND h.status = 'waiting')
                     AS waiting,
                   (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.claimed_at - r.queued_at))
                      FROM (SELECT claimed_at, queued_at FROM handoffs h
                             WHERE h.tenant_id = me.tenant_id AND h.claimed_at IS NOT NULL
                               AND h.claimed_at >= h.queued_at AND h.claimed_at > now() - interval '14 days'
                             ORDER BY h.claimed_at DESC LIMIT 20) r) AS typical
              FROM me""")
        .execute(Tuple.of(conversationId))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.<QueuePlace>empty();
          }
          Row r = rows.iterator().next();
          Double typical = r.getDouble("typical");
          return Optional.of(new QueuePlace(r.getLong("position").intValue(), r.getLong("waiting").intValue(),
              Optional.ofNullable(typical).map(Math::round)));
        });
  }

  private static final class PendingTurn extends MemoryTurn {
    private final ConversationState before;

    PendingTurn(Conversation conversation, ConversationState state, int nextSeq) {
      super(conversation, state, nextSeq);
      this.before = state;
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
                  + " resolution = $4::text, outcome = $5::text, answered_article = $6, messages_in = $7,"
                  + " state = $8, first_answer_ms = COALESCE(first_answer_ms, $9) WHERE conversation_id = $1")
              .execute(Tuple.of(conversation.id(), nextSeq, lang.code(),
                  ended == null ? null : ended.resolution().wireName(), ended == null ? null : ended.wireName(),
                  state.lastAnswered().orElse(null), state.messagesIn(), state.toJson(),
                  firstAnswerMs == null ? null : firstAnswerMs.floatValue())))
          .compose(ignored -> storeHandoff(conn));
    }

    /**
     * Keeps the conversation's row in the handoff queue in step with who answers: queued by a handoff, active when
     * claimed, released to the bot, closed when the conversation ends while a person was to answer it.
     */
    private Future<Void> storeHandoff(SqlConnection conn) {
      boolean handedOffNow = added.stream().anyMatch(e -> e.type() == EventType.HANDOFF);
      boolean ownerChanged = before.owner() != state.owner() || !before.agentId().equals(state.agentId());
      boolean closedNow = ended != null && before.owner() != ConversationState.Owner.BOT;
      if (!handedOffNow && !ownerChanged && !closedNow) {
        return Future.succeededFuture();
      }
      String status = closedNow ? "closed" : switch (state.owner()) {
        case QUEUE -> "waiting";
        case AGENT -> "active";
        case BOT -> "released";
      };
      String reason = added.stream().filter(e -> e.type() == EventType.HANDOFF).reduce((a, b) -> b)
          .map(e -> e.payload().getString("reason")).orElse(null);
      return conn.preparedQuery(HANDOFF_UPSERT)
          .execute(Tuple.tuple().addUUID(conversation.id()).addString(conversation.tenantId())
              .addString(conversation.channel()).addString(lang.code()).addString(status).addString(reason)
              .addString(state.agentId().orElse(null)).addString(state.agentName().orElse(null))
              .addBoolean(before.owner() == ConversationState.Owner.BOT && state.owner() != ConversationState.Owner.BOT))
          .mapEmpty();
    }
  }

  /** $9: the conversation came (back) to a person from the bot, so its place in the queue starts now. */
  private static final String HANDOFF_UPSERT = """
      INSERT INTO handoffs (conversation_id, tenant_id, channel, lang, status, reason, queued_at, agent_id, agent_name,
                            claimed_at, closed_at)
      VALUES ($1, $2, $3, $4, $5, $6, now(), $7, $8, CASE WHEN $5 = 'active' THEN now() END,
              CASE WHEN $5 = 'closed' THEN now() END)
      ON CONFLICT (conversation_id) DO UPDATE SET
        lang = EXCLUDED.lang, status = EXCLUDED.status, reason = COALESCE(EXCLUDED.reason, handoffs.reason),
        queued_at = CASE WHEN $9 THEN now() ELSE handoffs.queued_at END,
        agent_id = EXCLUDED.agent_id, agent_name = EXCLUDED.agent_name,
        claimed_at = CASE WHEN EXCLUDED.status = 'active' AND handoffs.agent_id IS DISTINCT FROM EXCLUDED.agent_id
                          THEN now() ELSE handoffs.claimed_at END,
        closed_at = EXCLUDED.closed_at, updated_at = now()
      """;

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
