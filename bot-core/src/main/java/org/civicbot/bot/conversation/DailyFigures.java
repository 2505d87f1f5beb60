package org.civicbot.bot.conversation;

/**
 * The SQL that counts conversations into the daily figures of V10 and V13 (what statistics read for sealed days):
 * shared by sealing, by retention deletion (which keeps the figures of what it deletes) and by the statistics
 * benchmark (which adds generated conversations to days already sealed).
 */
public final class DailyFigures {
  private DailyFigures() {
  }

  /** Deleting and sealing take turns, so no conversation is counted twice or not at all. */
  public static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('civicbot-statistics'))";

  /** The columns a conversation row is counted by (for {@code RETURNING} of a statement on conversations). */
  public static final String ROW_COLUMNS = "tenant_id, (started_at AT TIME ZONE 'UTC')::date AS day, channel, lang,"
      + " COALESCE(outcome, 'open') AS outcome, answered_article, LEAST(COALESCE(messages_in, 0), 20) AS turns,"
      + " extract(hour FROM started_at AT TIME ZONE 'UTC')::smallint AS hour,"
      + " " + FirstAnswer.bucketSql("first_answer_ms") + " AS bucket";

  /**
   * Common table expressions ({@code daily}, {@code articles}, {@code hourly}, {@code latency}) adding the rows of
   * a CTE {@code counted} (of {@link #ROW_COLUMNS}) to the daily figures.
   */
  public static final String ADD = """
      daily AS (INSERT INTO conversation_daily (tenant_id, day, channel, lang, outcome, turns, conversations)
                SELECT tenant_id, day, channel, lang, outcome, turns, count(*) FROM counted GROUP BY 1, 2, 3, 4, 5, 6
                ON CONFLICT (tenant_id, day, channel, lang, outcome, turns)
                DO UPDATE SET conversations = conversation_daily.conversations + EXCLUDED.conversations RETURNING 1),
      articles AS (INSERT INTO conversation_daily_articles (tenant_id, day, channel, article, outcome, conversations)
                SELECT tenant_id, day, channel, answered_article, outcome, count(*) FROM counted
                 WHERE answered_article IS NOT NULL GROUP BY 1, 2, 3, 4, 5
                ON CONFLICT (tenant_id, day, channel, article, outcome)
                DO UPDATE SET conversations = conversation_daily_articles.conversations + EXCLUDED.conversations
                RETURNING 1),
      hourly AS (INSERT INTO conversation_hourly (tenant_id, day, hour, channel, conversations)
                SELECT tenant_id, day, hour, channel, count(*) FROM counted GROUP BY 1, 2, 3, 4
                ON CONFLICT (tenant_id, day, hour, channel)
                DO UPDATE SET conversations = conversation_hourly.conversations + EXCLUDED.conversations RETURNING 1),
      latency AS (INSERT INTO conversation_daily_latency (tenant_id, day, channel, bucket, conversations)
                SELECT tenant_id, day, channel, bucket, count(*) FROM counted WHERE bucket IS NOT NULL
                 GROUP BY 1, 2, 3, 4
                ON CONFLICT (tenant_id, day, channel, bucket)
                DO UPDATE SET conversations = conversation_daily_latency.conversations + EXCLUDED.conversations
                RETURNING 1)
      """;
}
