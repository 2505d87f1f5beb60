package org.civicbot.deploy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.staff.Passwords;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffDirectory;
import org.civicbot.admin.staff.StaffUser;
import org.civicbot.knowledge.db.Database;
import org.civicbot.knowledge.store.ArticleStore;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code user add|token|password|revoke-tokens|disable|enable}: staff accounts from the command line, also while
 * the server runs (it uses the same database). What a person must read (a one-time password, a token) is the last
 * line printed. Every change is audited with the actor {@code cli}.
 */
final class UserCommand {
  private static final String USAGE = """
      Usage: java -jar civicbot.jar user add --tenant T --role R[,R...] --email E [--name N]
             java -jar civicbot.jar user token --email E          (a new personal API token)
             java -jar civicbot.jar user password --email E       (a new one-time password)
             java -jar civicbot.jar user revoke-tokens --email E
             java -jar civicbot.jar user disable|enable --email E
      Roles: admin, editor, agent, manager.""";

  private UserCommand() {
  }

  static int run(Config config, String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        err.println("Unknown or incomplete option '" + args[i] + "'.\n" + USAGE);
        return 2;
      }
      options.put(args[i].substring(2), args[++i]);
    }
    String action = args[0];
    if (!Set.of("add", "token", "password", "revoke-tokens", "disable", "enable").contains(action)) {
      err.println("Unknown user command '" + action + "'.\n" + USAGE);
      return 2;
    }
    if (!options.containsKey("email")) {
      err.println("Give the user's --email.\n" + USAGE);
      return 2;
    }
    Set<Role> roles = Set.of();
    if (action.equals("add")) {
      if (!options.containsKey("tenant") || !options.containsKey("role")) {
        err.println("user add needs --tenant and --role.\n" + USAGE);
        return 2;
      }
      try {
        roles = Role.parseList(options.get("role"));
      } catch (IllegalArgumentException e) {
        err.println("Cannot add the user: " + e.getMessage());
        return 2;
      }
    }
    Vertx vertx = Vertx.vertx();
    try (Database db = Database.open(vertx, config.databaseUrl(), config.dataDir(), 2)) {
      StaffDirectory directory = StaffDirectory.create(db.pool());
      AuditLog audit = new AuditLog(db.pool());
      String email = options.get("email");
      Future<String> result = switch (action) {
        case "add" -> add(vertx, ArticleStore.create(db.pool()), directory, audit, options, roles, out);
        case "token" -> user(directory, email).compose(u -> directory.issueToken(u.id())
            .compose(token -> audit(audit, u, "user.token").map(token)));
        case "password" -> user(directory, email).compose(u -> {
          String password = Passwords.oneTime();
          return vertx.executeBlocking(() -> Passwords.hash(password))
              .compose(hash -> directory.setPassword(u.id(), hash))
              .compose(v -> audit(audit, u, "user.password")).map(password);
        });
        case "revoke-tokens" -> user(directory, email).compose(u -> directory.revokeTokens(u.id())
            .compose(n -> audit(audit, u, "user.revoke-tokens").map("Revoked " + n + " token(s) of " + u.email())));
        default -> user(directory, email).compose(u -> directory.setDisabled(u.id(), action.equals("disable"))
            .compose(v -> audit(audit, u, "user." + action)).map("User " + u.email() + " is "
                + (action.equals("disable") ? "disabled" : "enabled")));
      };
      out.println(result.toCompletionStage().toCompletableFuture().join());
      return 0;
    } catch (Exception e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      err.println("User command failed: " + (cause instanceof IllegalArgumentException ? cause.getMessage()
          : cause.toString()));
      return 1;
    } finally {
      vertx.close();
    }
  }

  private static Future<String> add(Vertx vertx, ArticleStore store, StaffDirectory directory, AuditLog audit,
                                    Map<String, String> options, Set<Role> roles, PrintStream out) {
    String tenant = options.get("tenant");
    String password = Passwords.oneTime();
    return store.tenants().compose(tenants -> {
          if (tenants.contains(tenant)) {
            return Future.<Void>succeededFuture();
          }
          // a new municipality gets its tenant with its first user
          out.println("Creating tenant '" + tenant + "'");
          return store.ensureTenant(tenant, tenant);
        })
        .compose(v -> vertx.executeBlocking(() -> Passwords.hash(password)))
        .compose(hash -> directory.create(tenant, options.get("email"), options.get("name"), roles, hash))
        .compose(user -> audit(audit, user, "user.add").map(user))
        .map(user -> {
          out.println("Created " + user.email() + " in tenant '" + user.tenantId() + "' with roles "
              + String.join(",", user.roles().stream().map(Role::wireName).sorted().toList())
              + ". One-time password (change it after the first login):");
          return password;
        });
  }

  private static Future<StaffUser> user(StaffDirectory directory, String email) {
    return directory.findByEmail(email).compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new IllegalArgumentException("there is no user " + email))));
  }

  private static Future<Void> audit(AuditLog audit, StaffUser user, String action) {
    return audit.record(Optional.of(user.tenantId()), "cli", action, user.email(), new JsonObject());
  }
}
