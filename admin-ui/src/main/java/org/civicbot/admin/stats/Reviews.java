package org.civicbot.admin.stats;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.staff.StaffPrincipal;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * The audited resolution rate: reviewers judge ended conversations drawn at random (of a channel, in a period) as
 * handled correctly by the bot, incorrectly, or unclear. The audited rate is correct / (correct + incorrect) with a
 * Wilson 95 % interval; the disagreement is the share of judged conversations where the inferred resolution
 * (resolved or not) and the reviewer's verdict differ. Reviews are audit-logged.
 */
public final class Reviews {
  private static final double Z95 = 1.959963984540054;

  private final Pool pool;
  private final AuditLog audit;

  public Reviews(Pool pool, AuditLog audit) {
    this.pool = pool;
    this.audit = audit;
  }

  /** An ended conversation of the tenant not reviewed yet, drawn at random; empty when none is left. */
  public Future<Optional<UUID>> sample(String tenant, LocalDate from, LocalDate to, Optional<String> channel) {
    return pool.preparedQuery("SELECT c.conversation_id FROM conversations c WHERE c.tenant_id = $1"
            + " AND c.started_at >= $2 AND c.started_at < $3 AND c.ended_at IS NOT NULL AND c.channel <> 'test'"
            + " AND ($4::text IS NULL OR c.channel = $4)"
            + " AND NOT EXISTS (SELECT 1 FROM audit_reviews r WHERE r.conversation_id = c.conversation_id)"
            + " ORDER BY random() LIMIT 1")
        .execute(Tuple.of(tenant, from.atStartOfDay().atOffset(ZoneOffset.UTC),
            to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC), channel.orElse(null)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID(0)));
  }

  /** Records a verdict on an ended conversation of the tenant; false when it has none by that id. */
  public Future<Boolean> review(StaffPrincipal who, String tenant, UUID conversation, String verdict, String note) {
    return pool.preparedQuery("INSERT INTO audit_reviews (review_id, tenant_id, conversation_id, channel, day,"
            + " inferred, verdict, note, reviewer)"
            + " SELECT $1, tenant_id, conversation_id, channel, (started_at AT TIME ZONE 'UTC')::date, resolution,"
            + " $4, $5, $6 FROM conversations WHERE conversation_id = $2 AND tenant_id = $3 AND ended_at IS NOT NULL"
            + " ON CONFLICT (conversation_id) DO UPDATE SET verdict = EXCLUDED.verdict, note = EXCLUDED.note,"
            + " reviewer = EXCLUDED.reviewer, reviewed_at = now()")
        .execute(Tuple.of(UUID.randomUUID(), conversation, tenant, verdict, note, who.actor()))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
            : audit.record(Optional.of(tenant), who.actor(), "review.save", conversation.toString(),
                new JsonObject().put("verdict", verdict).put("via", who.via())).map(true));
  }

  /** The audited figures of a period (reviews of conversations started in it). */
  public Future<JsonObject> audited(Optional<String> tenant, LocalDate from, LocalDate to, Optional<String> channel) {
    return pool.preparedQuery("SELECT count(*) FILTER (WHERE verdict = 'correct') AS correct,"
            + " count(*) FILTER (WHERE verdict = 'incorrect') AS incorrect,"
            + " count(*) FILTER (WHERE verdict = 'unclear') AS unclear,"
            + " count(*) FILTER (WHERE verdict <> 'unclear' AND (verdict = 'correct') <> (inferred = 'resolved'))"
            + " AS disagree FROM audit_reviews WHERE ($1::text IS NULL OR tenant_id = $1) AND day >= $2 AND day <= $3"
            + " AND ($4::text IS NULL OR channel = $4)")
        .execute(Tuple.of(tenant.orElse(null), from, to, channel.orElse(null)))
        .map(rows -> {
          Row r = rows.iterator().next();
          long correct = r.getLong("correct");
          long incorrect = r.getLong("incorrect");
          long judged = correct + incorrect;
          JsonObject json = new JsonObject().put("reviewed", judged + r.getLong("unclear")).put("correct", correct)
              .put("incorrect", incorrect).put("unclear", r.getLong("unclear"));
          if (judged == 0) {
            return json.putNull("rate").putNull("ci95").putNull("disagreement");
          }
          double[] ci = wilson(correct, judged);
          return json.put("rate", round((double) correct / judged))
              .put("ci95", new JsonArray().add(round(ci[0])).add(round(ci[1])))
              .put("disagreement", round((double) r.getLong("disagree") / judged));
        });
  }

  /** The Wilson score interval at 95 % for {@code successes} of {@code n}. */
  public static double[] wilson(long successes, long n) {
    double p = (double) successes / n;
    double z2 = Z95 * Z95;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denominator;
    double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
