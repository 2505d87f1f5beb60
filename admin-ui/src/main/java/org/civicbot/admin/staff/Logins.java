package org.civicbot.admin.staff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Optional;

/**
 * Checks a login against the stored Argon2id hash, throttled in PostgreSQL (so every replica counts the same
 * attempts): after {@link #MAX_ACCOUNT_FAILURES} failures for one account, or {@link #MAX_CLIENT_FAILURES} from one
 * client, within {@link #WINDOW}, no password is checked until the window has passed. Every outcome is recorded.
 */
public final class Logins {
  public static final Duration WINDOW = Duration.ofMinutes(15);
  public static final int MAX_ACCOUNT_FAILURES = 5;
  public static final int MAX_CLIENT_FAILURES = 20;

  private final Vertx vertx;
  private final StaffDirectory directory;
  private final AuditLog audit;

  public Logins(Vertx vertx, StaffDirectory directory, AuditLog audit) {
    this.vertx = vertx;
    this.directory = directory;
    this.audit = audit;
  }

  /** What came of a login attempt. */
  public enum Outcome { OK, WRONG, ACCOUNT_LOCKED, CLIENT_LOCKED }

  public record Result(Outcome outcome, Optional<StaffUser> user) {
  }

  public Future<Result> login(String email, String password, String client) {
    String who = email == null ? "" : email.strip();
    return directory.recentFailures(who, client, WINDOW).compose(failures -> {
      if (failures.forAccount() >= MAX_ACCOUNT_FAILURES) {
        return refused(who, client, Outcome.ACCOUNT_LOCKED);
      }
      if (failures.fromClient() >= MAX_CLIENT_FAILURES) {
        return refused(who, client, Outcome.CLIENT_LOCKED);
      }
      return directory.credentials(who).compose(found -> vertx.executeBlocking(() -> {
        if (found.isEmpty()) {
          Passwords.pretendCheck(password);
          return false;
        }
        return Passwords.matches(password, found.get().passwordHash().orElse(null)) && !found.get().user().disabled();
      }, false).compose(ok -> {
        Optional<StaffUser> user = ok ? found.map(StaffDirectory.Credentials::user) : Optional.empty();
        return directory.recordLogin(who, client, ok)
            .compose(v -> audit.record(user.map(StaffUser::tenantId).or(() -> found.map(c -> c.user().tenantId())),
                ok ? user.get().email() : "anonymous", ok ? "login" : "login.failed", who,
                new io.vertx.core.json.JsonObject().put("client", client)))
            .map(new Result(ok ? Outcome.OK : Outcome.WRONG, user));
      }));
    });
  }

  private Future<Result> refused(String email, String client, Outcome outcome) {
    return directory.recordLogin(email, client, false).map(new Result(outcome, Optional.empty()));
  }
}
