package org.civicbot.bot.handoff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each municipality's opening hours (table {@code opening_hours}), for the chat and the phone: a tenant's own schedule,
 * or the installation's default. Decisions read them from memory ({@link #of}), so a turn never waits for the
 * database; the table is read at start and every {@link #REFRESH}, so a change made on another replica applies here
 * within that time, and at once on the replica that made it.
 */
public final class StaffedHours implements AutoCloseable {
  static final Duration REFRESH = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(StaffedHours.class);

  private final Vertx vertx;
  private final Pool pool;
  private final OpeningHours defaults;
  private final Map<String, OpeningHours> own = new ConcurrentHashMap<>();
  private long timer = -1;

  private StaffedHours(Vertx vertx, Pool pool, OpeningHours defaults) {
    this.vertx = vertx;
    this.pool = pool;
    this.defaults = defaults;
  }

  /** Reads the tenants' schedules and keeps them fresh; completes once read. */
  public static Future<StaffedHours> start(Vertx vertx, Pool pool, OpeningHours defaults) {
    StaffedHours hours = new StaffedHours(vertx, pool, defaults);
    return hours.reload().map(v -> {
      hours.timer = vertx.setPeriodic(REFRESH.toMillis(), id -> hours.reload()
          .onFailure(e -> LOG.warn("Could not re-read the opening hours: {}", e.getMessage())));
      return hours;
    });
  }

  /** When people answer {@code tenantId}'s queue. */
  public OpeningHours of(String tenantId) {
    return own.getOrDefault(tenantId, defaults);
  }

  /** The tenant's own schedule as written, if it has one (else the default applies). */
  public Optional<String> ownSchedule(String tenantId) {
    return Optional.ofNullable(own.get(tenantId)).map(OpeningHours::spec);
  }

  public OpeningHours defaults() {
    return defaults;
  }

  /**
   * Stores the tenant's schedule ({@link OpeningHours#parse} text in the default's time zone); fails with
   * {@link IllegalArgumentException}, quoting the part it cannot read, before anything is stored. Blank: back to the
   * default.
   */
  public Future<Void> set(String tenantId, String schedule, String changedBy) {
    if (schedule == null || schedule.isBlank()) {
      return pool.preparedQuery("DELETE FROM opening_hours WHERE tenant_id = $1").execute(Tuple.of(tenantId))
          .onSuccess(r -> own.remove(tenantId)).mapEmpty();
    }
    OpeningHours parsed;
    try {
      if (schedule.length() > 500) {
        throw new IllegalArgumentException("opening hours are at most 500 characters");
      }
      parsed = OpeningHours.parse(schedule, defaults.zone());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return pool.preparedQuery("INSERT INTO opening_hours (tenant_id, schedule, changed_by) VALUES ($1, $2, $3)"
            + " ON CONFLICT (tenant_id) DO UPDATE SET schedule = EXCLUDED.schedule, changed_by = EXCLUDED.changed_by,"
            + " changed_at = now()")
        .execute(Tuple.of(tenantId, schedule.strip(), changedBy))
        .onSuccess(r -> own.put(tenantId, parsed)).mapEmpty();
  }

  private Future<Void> reload() {
    return pool.query("SELECT tenant_id, schedule FROM opening_hours").execute().map(rows -> {
      Map<String, OpeningHours> read = new ConcurrentHashMap<>();
      for (Row row : rows) {
        try {
          read.put(row.getString("tenant_id"), OpeningHours.parse(row.getString("schedule"), defaults.zone()));
        } catch (IllegalArgumentException e) {
          LOG.warn("Tenant {}: stored opening hours not understood, the default applies: {}",
              row.getString("tenant_id"), e.getMessage());
        }
      }
      own.keySet().retainAll(read.keySet());
      own.putAll(read);
      return null;
    });
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
