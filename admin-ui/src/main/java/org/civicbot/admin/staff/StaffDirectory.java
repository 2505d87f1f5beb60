package org.civicbot.admin.staff;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Staff accounts, their password hashes and personal API tokens, and login attempts. All methods are non-blocking. */
public interface StaffDirectory {

  static StaffDirectory create(Pool pool) {
    return new PgStaffDirectory(pool);
  }

  /** Creates a user; fails with {@link IllegalArgumentException} when the e-mail address is taken or invalid. */
  Future<StaffUser> create(String tenantId, String email, String name, Set<Role> roles, String passwordHash);

  /** The user and their password hash (empty when none is set). */
  Future<Optional<Credentials>> credentials(String email);

  Future<Optional<StaffUser>> find(UUID userId);

  Future<Optional<StaffUser>> findByEmail(String email);

  Future<List<StaffUser>> list(String tenantId);

  Future<Void> setPassword(UUID userId, String passwordHash);

  /** Replaces the user's roles (at least one); they apply from the user's next request. */
  Future<Void> setRoles(UUID userId, Set<Role> roles);

  /** Blocks or unblocks the account; a disabled user's sessions and tokens stop working at their next request. */
  Future<Void> setDisabled(UUID userId, boolean disabled);

  /** Issues a new personal API token and returns it (only its hash is kept). */
  Future<String> issueToken(UUID userId);

  /** The user a valid, unrevoked token belongs to. */
  Future<Optional<StaffUser>> findByToken(String token);

  /** Revokes every token of the user; completes with how many were active. */
  Future<Integer> revokeTokens(UUID userId);

  Future<Void> recordLogin(String email, String client, boolean success);

  /** Failed logins for the account, and from the client, within {@code window}. */
  Future<LoginFailures> recentFailures(String email, String client, Duration window);

  /** A user with the password hash to check against. */
  record Credentials(StaffUser user, Optional<String> passwordHash) {
  }

  record LoginFailures(int forAccount, int fromClient) {
  }
}
