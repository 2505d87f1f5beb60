package org.civicbot.admin.staff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.ext.web.sstore.impl.SharedDataSessionImpl;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * vertx-web's {@link SessionStore} on PostgreSQL, so that any replica serves any staff session (vertx-web ships
 * none for PostgreSQL). A session is stored serialized as vertx-web's own shared-data sessions serialize themselves;
 * the row is keyed by the SHA-256 of the session id, so the table alone does not let anyone take a session over.
 * Writes are optimistic: a session changed by another request since it was read is not overwritten.
 * <p>vertx-web stores a session as its response's headers are written and does not wait for the store, so the
 * browser's next request can arrive before the row is written. Each replica therefore keeps the sessions it wrote in
 * the last {@link #RECENT_MILLIS} and reads those first; another replica reads the row (a load balancer that keeps a
 * client on one replica for a few seconds sees no difference).
 */
public final class PgSessionStore implements SessionStore {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PgSessionStore.class);

  static final long RECENT_MILLIS = 3_000;

  private final Pool pool;
  private VertxContextPRNG random;
  /** Sessions this replica wrote recently, by the key of their row. */
  private final java.util.concurrent.ConcurrentHashMap<String, Recent> recent =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record Recent(Buffer data, long writtenAt, long expiresAt) {
  }

  public PgSessionStore(Vertx vertx, Pool pool) {
    this.pool = pool;
    this.random = VertxContextPRNG.current(vertx);
  }

  @Override
  public SessionStore init(Vertx vertx, JsonObject options) {
    this.random = VertxContextPRNG.current(vertx);
    return this;
  }

  @Override
  public long retryTimeout() {
    return 0;
  }

  @Override
  public Session createSession(long timeout) {
    return new SharedDataSessionImpl(random, timeout, DEFAULT_SESSIONID_LENGTH);
  }

  @Override
  public Session createSession(long timeout, int length) {
    return new SharedDataSessionImpl(random, timeout, length);
  }

  @Override
  public Future<Session> get(String id) {
    long now = System.currentTimeMillis();
    Recent mine = recent.get(cacheKey(id));
    if (mine != null && now - mine.writtenAt() < RECENT_MILLIS) {
      if (mine.expiresAt() <= now) {
        return Future.succeededFuture(null);
      }
      SharedDataSessionImpl session = new SharedDataSessionImpl(random);
      session.readFromBuffer(0, mine.data());
      return Future.succeededFuture(session);
    }
    return pool.preparedQuery("SELECT data FROM staff_sessions WHERE id_hash = $1 AND expires_at > now()")
        .execute(Tuple.of(key(id)))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          SharedDataSessionImpl session = new SharedDataSessionImpl(random);
          session.readFromBuffer(0, rows.iterator().next().getBuffer(0));
          return session;
        });
  }

  /**
   * Forgets the session at once on this replica and deletes its row in the background: vertx-web stores a renewed
   * session (a login) only after the old one is deleted, and that must not wait for the database, or the browser's
   * next request would find neither.
   */
  @Override
  public Future<Void> delete(String id) {
    recent.put(cacheKey(id), new Recent(Buffer.buffer(), System.currentTimeMillis(), 0));
    pool.preparedQuery("DELETE FROM staff_sessions WHERE id_hash = $1").execute(Tuple.of(key(id)))
        .onFailure(e -> LOG.warn("Could not delete a staff session", e));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> put(Session session) {
    SharedDataSessionImpl s = (SharedDataSessionImpl) session;
    int previous = s.version();
    s.incrementVersion();
    Buffer data = Buffer.buffer();
    s.writeToBuffer(data);
    long now = System.currentTimeMillis();
    recent.put(cacheKey(s.id()), new Recent(data.copy(), now, now + s.timeout()));
    if (recent.size() > 1_000) {
      recent.values().removeIf(r -> now - r.writtenAt() >= RECENT_MILLIS);
    }
    // a new session (version 0) is inserted; a known one only updated from the version it was read at
    return pool.preparedQuery("INSERT INTO staff_sessions (id_hash, data, version, expires_at)"
            + " VALUES ($1, $2, $3, now() + make_interval(secs => $4))"
            + " ON CONFLICT (id_hash) DO UPDATE SET data = EXCLUDED.data, version = EXCLUDED.version,"
            + " expires_at = EXCLUDED.expires_at WHERE staff_sessions.version = $5")
        .execute(Tuple.of(key(s.id()), data, s.version(), s.timeout() / 1000.0, previous))
        .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new IllegalStateException("Session version mismatch")))
        .compose(v -> java.util.concurrent.ThreadLocalRandom.current().nextInt(50) != 0 ? Future.<Void>succeededFuture()
            // now and then, not on every request: the expired sessions of everyone
            : pool.query("DELETE FROM staff_sessions WHERE expires_at < now() - interval '1 hour'").execute()
                .<Void>mapEmpty());
  }

  @Override
  public Future<Void> clear() {
    recent.clear();
    return pool.query("DELETE FROM staff_sessions").execute().mapEmpty();
  }

  @Override
  public Future<Integer> size() {
    return pool.query("SELECT count(*) FROM staff_sessions WHERE expires_at > now()").execute()
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  @Override
  public void close() {
  }

  private static String cacheKey(String id) {
    return java.util.Base64.getEncoder().encodeToString(PgStaffDirectory.sha256(id == null ? "" : id));
  }

  private static Buffer key(String id) {
    return Buffer.buffer(PgStaffDirectory.sha256(id == null ? "" : id));
  }
}
