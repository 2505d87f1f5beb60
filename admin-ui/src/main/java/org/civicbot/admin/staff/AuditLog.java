package org.civicbot.admin.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Who read which transcript, who changed or published what, who logged in: append-only, readable by admins. */
public final class AuditLog {

  private final Pool pool;

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  /** One audited action; {@code tenant} empty for an operator-wide one. Never holds citizens' text or secrets. */
  public Future<Void> record(Optional<String> tenant, String actor, String action, String target, JsonObject details) {
    return pool.preparedQuery("INSERT INTO audit_log (tenant_id, actor, action, target, details)"
            + " VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(tenant.orElse(null), actor, action, target, details == null ? new JsonObject() : details))
        .mapEmpty();
  }

  public Future<Void> record(StaffPrincipal who, String tenant, String action, String target) {
    return record(Optional.ofNullable(tenant), who.actor(), action, target, new JsonObject().put("via", who.via()));
  }

  /** The newest entries first; {@code tenant} empty: every tenant's (the operator's view). */
  public Future<List<Entry>> list(Optional<String> tenant, Optional<String> action, int limit) {
    return pool.preparedQuery("SELECT audit_id, tenant_id, at, actor, action, target, details FROM audit_log"
            + " WHERE ($1::text IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR action = $2)"
            + " ORDER BY audit_id DESC LIMIT $3")
        .execute(Tuple.of(tenant.orElse(null), action.orElse(null), Math.max(1, Math.min(limit, 1000))))
        .map(rows -> {
          List<Entry> entries = new ArrayList<>();
          rows.forEach(r -> entries.add(new Entry(r.getLong("audit_id"), Optional.ofNullable(r.getString("tenant_id")),
              r.getOffsetDateTime("at").toInstant(), r.getString("actor"), r.getString("action"), r.getString("target"),
              r.getJsonObject("details"))));
          return entries;
        });
  }

  public record Entry(long id, Optional<String> tenant, Instant at, String actor, String action, String target,
                      JsonObject details) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("tenant", tenant.orElse(null)).put("at", at.toString())
          .put("actor", actor).put("action", action).put("target", target).put("details", details);
    }
  }
}
