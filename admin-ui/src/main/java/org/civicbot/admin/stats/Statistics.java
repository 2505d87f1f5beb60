package org.civicbot.admin.stats;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The resolution statistics of DESIGN, aggregated in SQL over the conversations started in a period (UTC days,
 * both ends included), for one tenant or all: the live conversations (read from one covering index) and the daily
 * figures kept for conversations that retention deleted, in one pass with grouping sets. The test console's
 * conversations (channel {@code test}) are not citizens' and never count.
 */
public final class Statistics {
  private static final String ROWS = """
      SELECT (started_at AT TIME ZONE 'UTC')::date AS day, channel, lang, COALESCE(outcome, 'open') AS outcome,
             COALESCE(answered_article, '') AS article, 1 AS n
        FROM conversations
       WHERE ($1::text IS NULL OR tenant_id = $1) AND started_at >= $2 AND started_at < $3
         AND channel <> 'test' AND ($4::text IS NULL OR channel = $4)
      UNION ALL
      SELECT day, channel, lang, outcome, article, conversations AS n
        FROM conversation_daily
       WHERE ($1::text IS NULL OR tenant_id = $1) AND day >= $5 AND day < $6
         AND channel <> 'test' AND ($4::text IS NULL OR channel = $4)
      """;

  private static final String GROUPED = "SELECT GROUPING(day) AS g_day, GROUPING(channel) AS g_channel,"
      + " GROUPING(lang) AS g_lang, GROUPING(article) AS g_article, day, channel, lang, article, outcome,"
      + " sum(n)::bigint AS n FROM (" + ROWS + ") r"
      + " GROUP BY GROUPING SETS ((outcome), (day, outcome), (channel, outcome), (lang, outcome), (article, outcome))";

  private static final String MEDIAN = "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY messages_in) AS median"
      + " FROM conversations WHERE ($1::text IS NULL OR tenant_id = $1) AND started_at >= $2 AND started_at < $3"
      + " AND channel <> 'test' AND ($4::text IS NULL OR channel = $4) AND ended_at IS NOT NULL";

  private final Pool pool;

  public Statistics(Pool pool) {
    this.pool = pool;
  }

  /** The figures of conversations started from {@code from} to {@code to}; {@code tenant} empty: every tenant. */
  public Future<JsonObject> figures(Optional<String> tenant, LocalDate from, LocalDate to, Optional<String> channel) {
    Tuple params = Tuple.of(tenant.orElse(null), from.atStartOfDay().atOffset(ZoneOffset.UTC),
        to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC), channel.orElse(null));
    Tuple withDays = Tuple.of(tenant.orElse(null), from.atStartOfDay().atOffset(ZoneOffset.UTC),
        to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC), channel.orElse(null), from, to.plusDays(1));
    Future<RowSet<Row>> grouped = pool.preparedQuery(GROUPED).execute(withDays);
    Future<RowSet<Row>> median = pool.preparedQuery(MEDIAN).execute(params);
    return Future.all(grouped, median).map(v -> {
      Counts total = new Counts();
      Map<String, Counts> byDay = new TreeMap<>();
      Map<String, Counts> byChannel = new TreeMap<>();
      Map<String, Counts> byLanguage = new TreeMap<>();
      Map<String, Counts> byArticle = new LinkedHashMap<>();
      for (Row r : grouped.result()) {
        String outcome = r.getString("outcome");
        long n = r.getLong("n");
        if (r.getInteger("g_day") == 0) {
          byDay.computeIfAbsent(r.getLocalDate("day").toString(), k -> new Counts()).add(outcome, n);
        } else if (r.getInteger("g_channel") == 0) {
          byChannel.computeIfAbsent(r.getString("channel"), k -> new Counts()).add(outcome, n);
        } else if (r.getInteger("g_lang") == 0) {
          byLanguage.computeIfAbsent(r.getString("lang"), k -> new Counts()).add(outcome, n);
        } else if (r.getInteger("g_article") == 0) {
          if (!r.getString("article").isEmpty()) {
            byArticle.computeIfAbsent(r.getString("article"), k -> new Counts()).add(outcome, n);
          }
        } else {
          total.add(outcome, n);
        }
      }
      Object medianTurns = median.result().iterator().next().getValue("median");
      JsonObject json = total.toJson().put("from", from.toString()).put("to", to.toString())
          .put("tenant", tenant.orElse(null)).put("channel", channel.orElse(null))
          .put("medianTurns", medianTurns == null ? null : ((Number) medianTurns).doubleValue());
      // every day of the period, also the quiet ones, so a chart's axis is the period
      JsonArray days = new JsonArray();
      for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
        days.add(byDay.getOrDefault(d.toString(), new Counts()).toJson().put("day", d.toString()));
      }
      json.put("byDay", days);
      json.put("byChannel", grouped(byChannel));
      json.put("byLanguage", grouped(byLanguage));
      JsonArray articles = new JsonArray();
      byArticle.entrySet().stream()
          .sorted((a, b) -> Long.compare(b.getValue().conversations(), a.getValue().conversations()))
          .forEach(e -> articles.add(e.getValue().toJson().put("slug", e.getKey())));
      json.put("byArticle", articles);
      Counts phone = byChannel.getOrDefault("phone", new Counts());
      json.put("phoneCallsWithoutTransfer", phone.ended() - phone.n("escalated"));
      json.put("audited", new JsonObject().put("reviewed", 0).put("correct", 0).putNull("rate").putNull("ci95"));
      return json;
    });
  }

  private static JsonObject grouped(Map<String, Counts> counts) {
    JsonObject json = new JsonObject();
    counts.forEach((k, c) -> json.put(k, c.toJson()));
    return json;
  }

  /** Conversations per outcome, and DESIGN's figures from them. */
  static final class Counts {
    private final Map<String, Long> byOutcome = new LinkedHashMap<>();

    void add(String outcome, long n) {
      byOutcome.merge(outcome, n, Long::sum);
    }

    long n(String outcome) {
      return byOutcome.getOrDefault(outcome, 0L);
    }

    long conversations() {
      return byOutcome.values().stream().mapToLong(Long::longValue).sum();
    }

    long ended() {
      return conversations() - n("open");
    }

    JsonObject toJson() {
      long ended = ended();
      long resolved = n("confirmed") + n("assumed");
      long escalated = n("escalated");
      return new JsonObject().put("conversations", conversations()).put("ended", ended)
          .put("resolved", resolved).put("confirmed", n("confirmed")).put("assumed", n("assumed"))
          .put("escalated", escalated).put("unresolved", n("unresolved") + n("abandoned"))
          .put("abandoned", n("abandoned")).put("handoffs", escalated)
          .put("resolutionRate", ended == 0 ? null : round((double) resolved / ended))
          .put("containmentRate", ended == 0 ? null : round((double) (ended - escalated) / ended));
    }

    private static double round(double rate) {
      return Math.round(rate * 10_000) / 10_000.0;
    }
  }
}
