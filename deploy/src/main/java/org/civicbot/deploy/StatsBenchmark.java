package org.civicbot.deploy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.stats.Reviews;
import org.civicbot.admin.stats.Statistics;
import org.civicbot.bot.ConversationJanitor;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.conversation.DailyFigures;
import org.civicbot.knowledge.db.Database;
import org.civicbot.knowledge.store.ArticleStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The statistics benchmark (not a test): fills a database with generated conversations spread over the last year
 * (default one million; 80 % of them in tenant {@code bench}, the rest in another tenant so the tenant filter has
 * work to do; web and phone, Danish and English, every ending, 60 articles, a first-answer latency), then times the
 * statistics query of {@code GET /api/v1/admin/stats} for a year of one tenant, a month, one channel, and all tenants. Uses a fresh
 * embedded PostgreSQL in a temporary folder unless {@code --url} names one.
 *
 * <p>With {@code --sample} it fills this installation's own database (its data folder, or
 * {@code CIVICBOT_DATABASE_URL}; the server may be running) and all of the conversations go to its sample
 * municipality, so a manager sees a year of figures on the dashboard. They have no transcripts (no events): the
 * review queue and the conversation export show the real conversations only.
 */
public final class StatsBenchmark {
  private static final int BATCH = 50_000;

  private StatsBenchmark() {
  }

  public static void main(String[] args, java.util.function.Supplier<Config> installation) throws Exception {
    int total = 1_000_000;
    Optional<String> url = Optional.empty();
    int runs = 10;
    boolean sample = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--conversations" -> total = Integer.parseInt(args[++i]);
        case "--url" -> url = Optional.of(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--sample" -> sample = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; use [--conversations N] [--runs N] [--url postgresql://...] [--sample]");
      }
    }
    Vertx vertx = Vertx.vertx();
    Optional<Config> config = sample ? Optional.of(installation.get()) : Optional.empty();
    Path dir = config.isPresent() ? config.get().dataDir() : Files.createTempDirectory("civicbot-bench-stats");
    Optional<String> external = config.isPresent() ? config.get().databaseUrl() : url;
    Database db = vertx.<Database>executeBlocking(() -> Database.open(vertx, external, dir, 4), false)
        .toCompletionStage().toCompletableFuture().get();
    try {
      if (config.isPresent()) {
        run(vertx, db, total, runs, config.get().defaultTenant(), 1.0);
      } else {
        await(ArticleStore.create(db.pool()).ensureTenant("bench", "Bench Kommune"));
        await(ArticleStore.create(db.pool()).ensureTenant("bench-other", "Anden Kommune"));
        run(vertx, db, total, runs, "bench", 0.8);
      }
    } finally {
      db.close();
      vertx.close();
    }
  }

  /** Fills {@code share} of the conversations into {@code tenant}, the rest into {@code bench-other}. */
  private static void run(Vertx vertx, Database db, int total, int runs, String tenant, double share) {
    // the tenant's published articles (the sample municipality's), or 60 made-up ones
    List<String> slugs = new ArrayList<>();
    await(db.pool().preparedQuery("SELECT DISTINCT slug FROM articles WHERE tenant_id = $1"
        + " AND published_revision IS NOT NULL ORDER BY slug").execute(Tuple.of(tenant)))
        .forEach(r -> slugs.add(r.getString(0)));
    if (slugs.isEmpty()) {
      for (int i = 0; i < 60; i++) {
        slugs.add("article-" + i);
      }
    }
    long start = System.nanoTime();
    for (int done = 0; done < total; done += BATCH) {
      int n = Math.min(BATCH, total - done);
      Tuple params = Tuple.of(n, tenant, share, slugs.toArray(String[]::new));
      await(db.pool().withTransaction(conn -> conn.query(DailyFigures.LOCK).execute()
          .compose(locked -> conn.preparedQuery(FILL).execute(params))));
      System.out.printf(Locale.ROOT, "\rfilled %,d of %,d conversations", done + n, total);
    }
    await(db.pool().query("ANALYZE conversations").execute());
    System.out.printf(Locale.ROOT, "%nfilled in %.1f s%n", (System.nanoTime() - start) / 1e9);
    // what the janitor does every run: the days up to three days ago counted once into the daily figures
    long sealStart = System.nanoTime();
    long sealed = await(ConversationStore.create(vertx, db.pool()).sealStatistics(Optional.empty(),
        LocalDate.now(ZoneOffset.UTC).minusDays(ConversationJanitor.SEAL_AFTER_DAYS)));
    await(db.pool().query("ANALYZE conversation_daily, conversation_daily_articles, conversation_daily_latency")
        .execute());
    System.out.printf(Locale.ROOT, "sealed %,d conversations into daily figures in %.1f s (first run; later runs"
        + " seal one day)%n", sealed, (System.nanoTime() - sealStart) / 1e9);

    Statistics statistics = new Statistics(db.pool(), new Reviews(db.pool(), new AuditLog(db.pool())),
        java.time.ZoneId.of("Europe/Copenhagen"));
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    time(statistics, "a year of one tenant", Optional.of(tenant), today.minusDays(364), today, Optional.empty(), runs);
    time(statistics, "a year of one tenant, phone", Optional.of(tenant), today.minusDays(364), today,
        Optional.of("phone"), runs);
    time(statistics, "a month of one tenant", Optional.of(tenant), today.minusDays(29), today, Optional.empty(),
        runs);
    time(statistics, "a year of all tenants", Optional.empty(), today.minusDays(364), today, Optional.empty(), runs);
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }

  private static void time(Statistics statistics, String what, Optional<String> tenant, LocalDate from, LocalDate to,
                           Optional<String> channel, int runs) {
    List<Double> millis = new ArrayList<>();
    JsonObject last = null;
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      last = await(statistics.figures(tenant, from, to, channel));
      millis.add((System.nanoTime() - t) / 1e6);
    }
    double first = millis.get(0);
    Collections.sort(millis);
    System.out.printf(Locale.ROOT, "%-30s %,9d conversations  first %6.0f ms  p50 %6.0f ms  max %6.0f ms"
            + "  (resolution %.1f %%, %d days, %d articles, first answer p50 %s ms)%n", what,
        last.getLong("conversations"), first, millis.get(millis.size() / 2), millis.get(millis.size() - 1),
        100 * Optional.ofNullable(last.getDouble("resolutionRate")).orElse(0.0), last.getJsonArray("byDay").size(),
        last.getJsonArray("byArticle").size(), last.getJsonObject("firstAnswer").getValue("p50Ms"));
  }

  /**
   * {@code $1} conversations, a share {@code $3} of them in tenant {@code $2}: started at random in the last year
   * (more by day than by night), ended mostly, answered first in a few milliseconds (a long tail to 300 ms).
   */
  private static final String INSERT = """
      INSERT INTO conversations (tenant_id, conversation_id, channel, lang, started_at, last_activity_at, ended_at,
                                 resolution, outcome, answered_article, messages_in, next_seq, first_answer_ms)
      SELECT CASE WHEN r1 < $3 THEN $2 ELSE 'bench-other' END, gen_random_uuid(),
             CASE WHEN r2 < 0.7 THEN 'web' ELSE 'phone' END, CASE WHEN r3 < 0.75 THEN 'da' ELSE 'en' END,
             ts, ts + interval '3 minutes', CASE WHEN o < 0.97 THEN ts + interval '5 minutes' END,
             CASE WHEN o >= 0.97 THEN NULL WHEN o < 0.65 THEN 'resolved' WHEN o < 0.77 THEN 'escalated'
                  ELSE 'unresolved' END,
             CASE WHEN o >= 0.97 THEN NULL WHEN o < 0.15 THEN 'confirmed' WHEN o < 0.65 THEN 'assumed'
                  WHEN o < 0.77 THEN 'escalated' WHEN o < 0.89 THEN 'unresolved' ELSE 'abandoned' END,
             CASE WHEN o < 0.65 OR r4 < 0.3 THEN ($4::text[])[1 + floor(r5 * cardinality($4::text[]))::int] END, 1 + (r6 * 5)::int, 10,
             3 + 300 * power(random(), 6)
        FROM (SELECT random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6,
                     random() AS o,
                     date_trunc('day', now()) - (floor(random() * 365) || ' days')::interval
                       + ((6 + random() * 14) || ' hours')::interval AS ts
                FROM generate_series(1, $1)) g
      """;

  /** The generated conversations, and those on days already sealed (a running installation's) counted there too. */
  private static final String FILL = "WITH ins AS (" + INSERT + " RETURNING " + DailyFigures.ROW_COLUMNS + "),"
      + " counted AS (SELECT i.* FROM ins i JOIN stats_sealed s ON s.tenant_id = i.tenant_id"
      + " AND i.day <= s.through), "
      + DailyFigures.ADD + " SELECT count(*) FROM ins";
}
