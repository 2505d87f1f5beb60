package org.civicbot.admin.staff;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@link StaffDirectory} on PostgreSQL; every statement is parameterized. */
final class PgStaffDirectory implements StaffDirectory {
  private static final Pattern EMAIL = Pattern.compile("[^\\s@]{1,64}@[^\\s@]{1,189}\\.[^\\s@]{2,63}");
  private static final String TOKEN_PREFIX = "cbt_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String USER_COLUMNS = "user_id, tenant_id, email, name, roles, disabled, created_at";

  private final Pool pool;

  PgStaffDirectory(Pool pool) {
    this.pool = pool;
  }

  /** The form an e-mail address is stored and looked up in; an invalid one is refused with the value quoted. */
  static String normalizeEmail(String email) {
    String e = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    if (!EMAIL.matcher(e).matches()) {
      throw new IllegalArgumentException("'" + email + "' is not an e-mail address");
    }
    return e;
  }

  @Override
  public Future<StaffUser> create(String tenantId, String email, String name, Set<Role> roles, String passwordHash) {
    String normalized;
    try {
      normalized = normalizeEmail(email);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (roles.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("a user needs at least one role"));
    }
    String displayName = name == null || name.isBlank() ? normalized.substring(0, normalized.indexOf('@')) : name.strip();
    return pool.preparedQuery("INSERT INTO staff_users (user_id, tenant_id, email, name, roles, password_hash,"
            + " password_set_at) VALUES ($1, $2, $3, $4, $5, $6, now()) RETURNING " + USER_COLUMNS)
        .execute(Tuple.of(UUID.randomUUID(), tenantId, normalized, displayName,
            roles.stream().map(Role::wireName).sorted().toArray(String[]::new), passwordHash))
        .map(rows -> toUser(rows.iterator().next()))
        .recover(e -> {
          if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            return Future.failedFuture(new IllegalArgumentException("a user with e-mail " + normalized
                + " exists already"));
          }
          if (e instanceof PgException pg && "23503".equals(pg.getSqlState())) {
            return Future.failedFuture(new IllegalArgumentException("there is no tenant '" + tenantId + "'"));
          }
          return Future.failedFuture(e);
        });
  }

  @Override
  public Future<Optional<Credentials>> credentials(String email) {
    String normalized = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    return pool.preparedQuery("SELECT " + USER_COLUMNS + ", password_hash FROM staff_users WHERE email = $1")
        .execute(Tuple.of(normalized))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next())
            .map(row -> new Credentials(toUser(row), Optional.ofNullable(row.getString("password_hash")))));
  }

  @Override
  public Future<Optional<StaffUser>> find(UUID userId) {
    return one("SELECT " + USER_COLUMNS + " FROM staff_users WHERE user_id = $1", Tuple.of(userId));
  }

  @Override
  public Future<Optional<StaffUser>> findByEmail(String email) {
    return one("SELECT " + USER_COLUMNS + " FROM staff_users WHERE email = $1",
        Tuple.of(email == null ? "" : email.strip().toLowerCase(Locale.ROOT)));
  }

  @Override
  public Future<List<StaffUser>> list(String tenantId) {
    return pool.preparedQuery("SELECT " + USER_COLUMNS + " FROM staff_users WHERE tenant_id = $1 ORDER BY email")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          List<StaffUser> users = new ArrayList<>();
          rows.forEach(row -> users.add(toUser(row)));
          return users;
        });
  }

  @Override
  public Future<Void> setPassword(UUID userId, String passwordHash) {
    return pool.preparedQuery("UPDATE staff_users SET password_hash = $2, password_set_at = now() WHERE user_id = $1")
        .execute(Tuple.of(userId, passwordHash)).mapEmpty();
  }

  @Override
  public Future<Void> setRoles(UUID userId, Set<Role> roles) {
    if (roles.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("a user needs at least one role"));
    }
    return pool.preparedQuery("UPDATE staff_users SET roles = $2 WHERE user_id = $1")
        .execute(Tuple.tuple().addUUID(userId)
            .addArrayOfString(roles.stream().map(Role::wireName).sorted().toArray(String[]::new)))
        .mapEmpty();
  }

  @Override
  public Future<Void> setDisabled(UUID userId, boolean disabled) {
    return pool.preparedQuery("UPDATE staff_users SET disabled = $2 WHERE user_id = $1")
        .execute(Tuple.of(userId, disabled)).mapEmpty();
  }

  @Override
  public Future<String> issueToken(UUID userId) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return pool.preparedQuery("INSERT INTO staff_tokens (token_id, user_id, token_hash) VALUES ($1, $2, $3)")
        .execute(Tuple.of(UUID.randomUUID(), userId, io.vertx.core.buffer.Buffer.buffer(sha256(token))))
        .map(token);
  }

  @Override
  public Future<Optional<StaffUser>> findByToken(String token) {
    if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 100) {
      return Future.succeededFuture(Optional.empty());
    }
    return one("UPDATE staff_tokens t SET last_used_at = now() FROM staff_users u"
            + " WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.user_id = t.user_id AND NOT u.disabled"
            + " RETURNING u.user_id, u.tenant_id, u.email, u.name, u.roles, u.disabled, u.created_at",
        Tuple.of(io.vertx.core.buffer.Buffer.buffer(sha256(token))));
  }

  @Override
  public Future<Integer> revokeTokens(UUID userId) {
    return pool.preparedQuery("UPDATE staff_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(userId)).map(rows -> rows.rowCount());
  }

  @Override
  public Future<Void> recordLogin(String email, String client, boolean success) {
    return pool.preparedQuery("WITH pruned AS (DELETE FROM staff_login_attempts WHERE at < now() - interval '1 day')"
            + " INSERT INTO staff_login_attempts (email, client, success) VALUES ($1, $2, $3)")
        .execute(Tuple.of(clip(email), clip(client), success)).mapEmpty();
  }

  @Override
  public Future<LoginFailures> recentFailures(String email, String client, Duration window) {
    return pool.preparedQuery("SELECT"
            + " count(*) FILTER (WHERE email = $1 AND NOT success"
            + "   AND at > coalesce((SELECT max(at) FROM staff_login_attempts WHERE email = $1 AND success),"
            + "   '-infinity')),"
            + " count(*) FILTER (WHERE client = $2 AND NOT success)"
            + " FROM staff_login_attempts WHERE at > now() - make_interval(secs => $3) AND (email = $1 OR client = $2)")
        .execute(Tuple.of(clip(email), clip(client), (double) window.toSeconds()))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new LoginFailures(row.getInteger(0), row.getInteger(1));
        });
  }

  private Future<Optional<StaffUser>> one(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args)
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toUser(rows.iterator().next())));
  }

  private static String clip(String value) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    return v.length() > 254 ? v.substring(0, 254) : v;
  }

  private static StaffUser toUser(Row row) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String r : row.getArrayOfStrings("roles")) {
      roles.add(Role.parse(r));
    }
    return new StaffUser(row.getUUID("user_id"), row.getString("tenant_id"), row.getString("email"),
        row.getString("name"), roles, row.getBoolean("disabled"), row.getOffsetDateTime("created_at").toInstant());
  }

  static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
