package org.civicbot.admin.stats;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.civicbot.bot.conversation.FirstAnswer;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The resolution statistics of DESIGN, aggregated in SQL over the conversations started in a period (UTC days,
 * both ends included), for one tenant or all: the sealed days from the daily figures (which also hold what
 * retention deleted) and the later days from the conversations (one covering index), in one pass with grouping sets. The test console's
 * conversations (channel {@code test}) are not citizens' and never count.
 */
public final class Statistics {
  /*
   * Parameters of every query: $1 tenant (NULL: all), $2 and $3 the first and last day, $4 channel (NULL: both),
   * $5 and $6 the live rows' time range.
   */

  /** The sealed days' figures of the period (a daily table's rows); with {@link #LIVE_ROWS}, every conversation. */
  private static final String SEALED_DAYS = " WHERE ($1::text IS NULL OR tenant_id = $1) AND day >= $2 AND day <= $3"
      + " AND channel <> 'test' AND ($4::text IS NULL OR channel = $4)";

  /** The conversations of the period after their tenant's sealed days, read from the conversations themselves. */
  private static final String LIVE_ROWS = " FROM conversations c LEFT JOIN stats_sealed s ON s.tenant_id = c.tenant_id"
      + " WHERE ($1::text IS NULL OR c.tenant_id = $1) AND c.started_at >= $5 AND c.started_at < $6"
      + " AND c.started_at >= (COALESCE(s.through, DATE '1970-01-01') + 1)::timestamp AT TIME ZONE 'UTC'"
      + " AND c.channel <> 'test' AND ($4::text IS NULL OR c.channel = $4)";

  private static final String ROWS = "SELECT day, channel, lang, outcome, turns, conversations AS n"
      + " FROM conversation_daily" + SEALED_DAYS
      + " UNION ALL SELECT (c.started_at AT TIME ZONE 'UTC')::date, c.channel, c.lang, COALESCE(c.outcome, 'open'),"
      + " LEAST(COALESCE(c.messages_in, 0), 20), 1" + LIVE_ROWS;

  private static final String GROUPED = "SELECT GROUPING(day) AS g_day, GROUPING(channel) AS g_channel,"
      + " GROUPING(lang) AS g_lang, GROUPING(turns) AS g_turns, day, channel, lang, turns, outcome,"
      + " sum(n)::bigint AS n FROM (" + ROWS + ") r"
      + " GROUP BY GROUPING SETS ((outcome), (day, outcome), (channel, outcome), (lang, outcome), (turns, outcome))";

  private static final String ARTICLES = "SELECT article, outcome, sum(n)::bigint AS n FROM ("
      + "SELECT article, outcome, conversations AS n FROM conversation_daily_articles" + SEALED_DAYS
      + " UNION ALL SELECT c.answered_article, COALESCE(c.outcome, 'open'), 1" + LIVE_ROWS
      + " AND c.answered_article IS NOT NULL) a GROUP BY article, outcome";

  private static final String HOURLY = "SELECT day, hour, sum(n)::bigint AS n FROM ("
      + "SELECT day, hour, conversations AS n FROM conversation_hourly" + SEALED_DAYS
      + " UNION ALL SELECT (c.started_at AT TIME ZONE 'UTC')::date,"
      + " extract(hour FROM c.started_at AT TIME ZONE 'UTC')::smallint, 1" + LIVE_ROWS + ") h GROUP BY day, hour";

  private static final String LATENCY = "SELECT channel, bucket, sum(n)::bigint AS n FROM ("
      + "SELECT channel, bucket, conversations AS n FROM conversation_daily_latency" + SEALED_DAYS
      + " UNION ALL SELECT c.channel, " + FirstAnswer.bucketSql("c.first_answer_ms") + ", 1" + LIVE_ROWS
      + " AND c.first_answer_ms IS NOT NULL) l GROUP BY channel, bucket";

  /** The sealed days every tenant with conversations has (a tenant never sealed has none). */
  private static final String LEAST_SEALED = "SELECT min(COALESCE(s.through, DATE '1970-01-01')) AS through"
      + " FROM tenants t LEFT JOIN stats_sealed s ON s.tenant_id = t.tenant_id"
      + " WHERE EXISTS (SELECT 1 FROM conversations c WHERE c.tenant_id = t.tenant_id)";

  private final Pool pool;
  private final Reviews reviews;
  private final java.time.ZoneId zone;

  /** {@code zone}: the municipality's time zone, in which the hour-of-week figures are told. */
  public Statistics(Pool pool, Reviews reviews, java.time.ZoneId zone) {
    this.pool = pool;
    this.reviews = reviews;
    this.zone = zone;
  }

  /** The figures of conversations started from {@code from} to {@code to}; {@code tenant} empty: every tenant. */
  public Future<JsonObject> figures(Optional<String> tenant, LocalDate from, LocalDate to, Optional<String> channel) {
    // the live rows start after the sealed days (of the tenant, or the least sealed tenant that has conversations):
    // an index range of days, not of the whole period; each row is still checked against its own tenant's days
    Future<Optional<LocalDate>> sealed = (tenant.isEmpty()
        ? pool.preparedQuery(LEAST_SEALED).execute()
        : pool.preparedQuery("SELECT through FROM stats_sealed WHERE tenant_id = $1").execute(Tuple.of(tenant.get())))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.ofNullable(rows.iterator().next().getLocalDate("through")));
    return sealed.compose(through -> {
      LocalDate liveFrom = through.map(t -> t.plusDays(1)).filter(t -> t.isAfter(from)).orElse(from);
      Tuple params = Tuple.of(tenant.orElse(null), from, to, channel.orElse(null),
          liveFrom.atStartOfDay().atOffset(ZoneOffset.UTC), to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
      Future<RowSet<Row>> grouped = pool.preparedQuery(GROUPED).execute(params);
      Future<RowSet<Row>> articles = pool.preparedQuery(ARTICLES).execute(params);
      Future<JsonObject> audited = reviews.audited(tenant, from, to, channel);
      Future<RowSet<Row>> hourly = pool.preparedQuery(HOURLY).execute(params);
      Future<Double> minutes = minutesPerConversation(tenant);
      Future<RowSet<Row>> latency = pool.preparedQuery(LATENCY).execute(params);
      return Future.all(List.of(grouped, articles, audited, hourly, minutes, latency)).map(v -> {
        JsonObject json = json(grouped.result(), articles.result(), tenant, from, to, channel)
            .put("audited", audited.result()).put("timeZone", zone.getId())
            .put("byHourOfWeek", hourOfWeek(hourly.result()));
        firstAnswer(json, latency.result());
        // what the conversations the bot handled without a person would have cost staff, at the tenant's estimate
        long contained = json.getLong("ended") - json.getLong("escalated");
        return json.put("minutesPerConversation", minutes.result())
            .put("staffHoursSaved", Math.round(contained * minutes.result() / 60.0 * 10) / 10.0);
      });
    });
  }

  private static JsonObject json(RowSet<Row> grouped, RowSet<Row> articles, Optional<String> tenant, LocalDate from,
                                 LocalDate to, Optional<String> channel) {
    Counts total = new Counts();
    Map<String, Counts> byDay = new TreeMap<>();
    Map<String, Counts> byChannel = new TreeMap<>();
    Map<String, Counts> byLanguage = new TreeMap<>();
    Map<String, Counts> byArticle = new LinkedHashMap<>();
    long[] endedByTurns = new long[21];
    for (Row r : grouped) {
      String outcome = r.getString("outcome");
      long n = r.getLong("n");
      if (r.getInteger("g_day") == 0) {
        byDay.computeIfAbsent(r.getLocalDate("day").toString(), k -> new Counts()).add(outcome, n);
      } else if (r.getInteger("g_channel") == 0) {
        byChannel.computeIfAbsent(r.getString("channel"), k -> new Counts()).add(outcome, n);
      } else if (r.getInteger("g_lang") == 0) {
        byLanguage.computeIfAbsent(r.getString("lang"), k -> new Counts()).add(outcome, n);
      } else if (r.getInteger("g_turns") == 0) {
        if (!outcome.equals("open")) {
          endedByTurns[Math.min(20, Math.max(0, r.getInteger("turns")))] += n;
        }
      } else {
        total.add(outcome, n);
      }
    }
    for (Row r : articles) {
      byArticle.computeIfAbsent(r.getString("article"), k -> new Counts()).add(r.getString("outcome"), r.getLong("n"));
    }
    Integer medianTurns = median(endedByTurns);
    JsonObject json = total.toJson().put("from", from.toString()).put("to", to.toString())
        .put("tenant", tenant.orElse(null)).put("channel", channel.orElse(null))
        .put("medianTurns", medianTurns);
    // every day of the period, also the quiet ones, so a chart's axis is the period
    JsonArray days = new JsonArray();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      days.add(byDay.getOrDefault(d.toString(), new Counts()).toJson().put("day", d.toString()));
    }
    json.put("byDay", days);
    json.put("byChannel", grouped(byChannel));
    json.put("byLanguage", grouped(byLanguage));
    JsonArray ranked = new JsonArray();
    byArticle.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().conversations(), a.getValue().conversations()))
        .forEach(e -> ranked.add(e.getValue().toJson().put("slug", e.getKey())));
    json.put("byArticle", ranked);
    Counts phone = byChannel.getOrDefault("phone", new Counts());
    json.put("phoneCallsWithoutTransfer", phone.ended() - phone.n("escalated"));
    return json;
  }

  /**
   * The first-answer latency's median and 90th percentile, over all and per channel, from the histogram of
   * {@link FirstAnswer} (each within about 2.5 % of the exact figure).
   */
  private static void firstAnswer(JsonObject json, RowSet<Row> rows) {
    Map<String, long[]> byChannel = new TreeMap<>();
    long[] all = new long[FirstAnswer.BUCKETS];
    for (Row r : rows) {
      int bucket = Math.min(FirstAnswer.BUCKETS - 1, Math.max(0, r.getInteger("bucket")));
      long n = r.getLong("n");
      byChannel.computeIfAbsent(r.getString("channel"), k -> new long[FirstAnswer.BUCKETS])[bucket] += n;
      all[bucket] += n;
    }
    json.put("firstAnswer", latencyJson(all));
    JsonObject channels = json.getJsonObject("byChannel");
    byChannel.forEach((c, counts) -> {
      if (channels.containsKey(c)) {
        channels.getJsonObject(c).put("firstAnswer", latencyJson(counts));
      }
    });
  }

  private static JsonObject latencyJson(long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return new JsonObject().put("conversations", total).put("p50Ms", percentile(counts, total, 0.5))
        .put("p90Ms", percentile(counts, total, 0.9));
  }

  /** The latency in milliseconds below which {@code q} of a histogram's values lie: its bucket's middle. */
  static Double percentile(long[] counts, long total, double q) {
    if (total == 0) {
      return null;
    }
    long seen = 0;
    for (int b = 0; b < counts.length; b++) {
      seen += counts[b];
      if (seen >= q * total) {
        return Math.round(FirstAnswer.millis(b) * 10) / 10.0;
      }
    }
    return null;
  }

  /** The default estimate of staff minutes one conversation takes, until an admin sets the tenant's own. */
  public static final double DEFAULT_MINUTES = 4.0;

  /** The tenant's estimate of staff minutes per conversation (for all tenants: the default). */
  public Future<Double> minutesPerConversation(Optional<String> tenant) {
    if (tenant.isEmpty()) {
      return Future.succeededFuture(DEFAULT_MINUTES);
    }
    return pool.preparedQuery("SELECT minutes_per_conversation::float8 AS m FROM tenant_settings WHERE tenant_id = $1")
        .execute(Tuple.of(tenant.get()))
        .map(rows -> rows.size() == 0 ? DEFAULT_MINUTES : rows.iterator().next().getDouble("m"));
  }

  /** Sets the tenant's estimate of staff minutes per conversation (0 to 240). */
  public Future<Void> setMinutesPerConversation(String tenant, double minutes, String actor) {
    if (!(minutes >= 0 && minutes <= 240)) {
      return Future.failedFuture(new IllegalArgumentException("Minutes per conversation are from 0 to 240."));
    }
    return pool.preparedQuery("INSERT INTO tenant_settings (tenant_id, minutes_per_conversation, changed_by)"
            + " VALUES ($1, $2, $3) ON CONFLICT (tenant_id) DO UPDATE SET minutes_per_conversation ="
            + " EXCLUDED.minutes_per_conversation, changed_by = EXCLUDED.changed_by, changed_at = now()")
        .execute(Tuple.of(tenant, Math.round(minutes * 10) / 10.0, actor)).mapEmpty();
  }

  /** Conversations by local weekday (Monday first) and hour, from counts by UTC day and hour. */
  private JsonArray hourOfWeek(RowSet<Row> rows) {
    long[][] cells = new long[7][24];
    for (Row r : rows) {
      java.time.ZonedDateTime local = r.getLocalDate("day").atTime(r.getInteger("hour"), 0)
          .atZone(ZoneOffset.UTC).withZoneSameInstant(zone);
      cells[local.getDayOfWeek().getValue() - 1][local.getHour()] += r.getLong("n");
    }
    JsonArray week = new JsonArray();
    for (long[] day : cells) {
      JsonArray hours = new JsonArray();
      for (long n : day) {
        hours.add(n);
      }
      week.add(hours);
    }
    return week;
  }

  /** The median of a distribution of counts by value (messages per conversation, 20 meaning 20 or more). */
  static Integer median(long[] countsByValue) {
    long total = 0;
    for (long c : countsByValue) {
      total += c;
    }
    if (total == 0) {
      return null;
    }
    long seen = 0;
    for (int value = 0; value < countsByValue.length; value++) {
      seen += countsByValue[value];
      if (2 * seen >= total) {
        return value;
      }
    }
    return countsByValue.length - 1;
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
