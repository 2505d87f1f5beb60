package org.civicbot.admin.web;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.Access;
import org.civicbot.admin.HttpJson;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.staff.Passwords;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffAuth;
import org.civicbot.admin.staff.StaffDirectory;
import org.civicbot.admin.staff.StaffPrincipal;
import org.civicbot.admin.staff.StaffUser;
import org.civicbot.knowledge.Language;

import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The admins' user management of their municipality (add users with roles, change roles, block, reset a password,
 * revoke personal tokens) and every user's own account page (change the password, issue a personal API token).
 * A one-time password or a token is shown once, in the answer to the request that made it, and stored only hashed;
 * such answers are never cached. Every change is audit-logged. An admin cannot take away their own admin role or
 * block themselves, so a municipality cannot lock itself out.
 */
public final class UsersPages {
  private final Vertx vertx;
  private final Pages pages;
  private final StaffDirectory directory;
  private final AuditLog audit;
  private final String defaultTenant;

  public UsersPages(Vertx vertx, Pages pages, StaffDirectory directory, AuditLog audit, String defaultTenant) {
    this.vertx = vertx;
    this.pages = pages;
    this.directory = directory;
    this.audit = audit;
    this.defaultTenant = defaultTenant;
  }

  public void mount(Router router) {
    router.get("/admin/users").handler(ctx -> admin(ctx, this::list));
    router.post("/admin/users").handler(ctx -> admin(ctx, this::add));
    router.get("/admin/users/:id").handler(ctx -> admin(ctx, this::user));
    router.post("/admin/users/:id").handler(ctx -> admin(ctx, this::change));
    router.get("/api/v1/admin/users").handler(ctx -> admin(ctx, this::listJson));
    router.get("/admin/account").handler(this::account);
    router.post("/admin/account").handler(this::accountChange);
  }

  private void admin(RoutingContext ctx, BiConsumer<RoutingContext, Access.Scoped> handler) {
    Access.scoped(ctx, defaultTenant, Role.ADMIN).ifPresent(caller -> handler.accept(ctx, caller));
  }

  private void list(RoutingContext ctx, Access.Scoped c) {
    directory.list(c.tenant()).onSuccess(users -> pages.render(ctx, "users", listModel(ctx, c, users)))
        .onFailure(ctx::fail);
  }

  private Map<String, Object> listModel(RoutingContext ctx, Access.Scoped c, List<StaffUser> users) {
    Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "users.title", "users");
    m.put("users", users.stream().sorted(Comparator.comparing(StaffUser::email)).map(UsersPages::row).toList());
    m.put("allRoles", Arrays.stream(Role.values()).map(Role::wireName).toList());
    return m;
  }

  private void listJson(RoutingContext ctx, Access.Scoped c) {
    directory.list(c.tenant()).onSuccess(users -> HttpJson.send(ctx, new JsonObject().put("users",
            new JsonArray(users.stream().map(u -> new JsonObject().put("id", u.id().toString())
                .put("email", u.email()).put("name", u.name()).put("disabled", u.disabled())
                .put("roles", new JsonArray(u.roles().stream().map(Role::wireName).sorted().toList()))).toList()))))
        .onFailure(ctx::fail);
  }

  private static Map<String, Object> row(StaffUser u) {
    return Map.of("id", u.id().toString(), "email", u.email(), "name", u.name(), "disabled", u.disabled(),
        "roles", u.roles().stream().map(Role::wireName).sorted().toList(),
        "at", u.createdAt().toString().substring(0, 10));
  }

  /** A new user of the admin's tenant with a one-time password, shown once on the answer page. */
  private void add(RoutingContext ctx, Access.Scoped c) {
    MultiMap form = ctx.request().formAttributes();
    Set<Role> roles;
    try {
      roles = roles(form);
    } catch (IllegalArgumentException e) {
      ctx.fail(400, e);
      return;
    }
    String email = Optional.ofNullable(form.get("email")).orElse("");
    String name = Optional.ofNullable(form.get("name")).orElse("").strip();
    if (name.length() > 200) {
      ctx.fail(400, new IllegalArgumentException("A name has at most 200 characters."));
      return;
    }
    String password = Passwords.oneTime();
    vertx.executeBlocking(() -> Passwords.hash(password))
        .compose(hash -> directory.create(c.tenant(), email, name, roles, hash))
        .compose(user -> audit(c, user, "user.add", new JsonObject().put("roles", wire(roles))).map(user))
        .onSuccess(user -> directory.list(c.tenant()).onSuccess(users -> {
          renderSecret(ctx, "users", listModel(ctx, c, users), "password", password, user.email());
        }).onFailure(ctx::fail))
        .onFailure(e -> ctx.fail(e instanceof IllegalArgumentException ? 400 : 500, e));
  }

  private void user(RoutingContext ctx, Access.Scoped c) {
    ofTenant(ctx, c).onSuccess(found -> found.ifPresent(u -> pages.render(ctx, "user", userModel(ctx, c, u))))
        .onFailure(ctx::fail);
  }

  private Map<String, Object> userModel(RoutingContext ctx, Access.Scoped c, StaffUser u) {
    Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "users.edit", "users");
    m.put("u", row(u));
    m.put("allRoles", Arrays.stream(Role.values()).map(Role::wireName).toList());
    m.put("self", c.who().userId().filter(u.id()::equals).isPresent());
    return m;
  }

  /** {@code do=roles|block|unblock|password|revoke} on one user of the admin's tenant. */
  private void change(RoutingContext ctx, Access.Scoped c) {
    MultiMap form = ctx.request().formAttributes();
    String action = Optional.ofNullable(form.get("do")).orElse("");
    Language ui = pages.lang(ctx);
    ofTenant(ctx, c).onSuccess(found -> {
      if (found.isEmpty()) {
        return;
      }
      StaffUser u = found.get();
      boolean self = c.who().userId().filter(u.id()::equals).isPresent();
      Future<String> done;
      switch (action) {
        case "roles" -> {
          Set<Role> roles;
          try {
            roles = roles(form);
          } catch (IllegalArgumentException e) {
            ctx.fail(400, e);
            return;
          }
          if (self && !roles.contains(Role.ADMIN)) {
            ctx.fail(400, new IllegalArgumentException(pages.text().get(ui, "users.notYourself")));
            return;
          }
          done = directory.setRoles(u.id(), roles)
              .compose(v -> audit(c, u, "user.roles", new JsonObject().put("roles", wire(roles))))
              .map(v -> pages.text().get(ui, "users.rolesSaved"));
        }
        case "block", "unblock" -> {
          if (self) {
            ctx.fail(400, new IllegalArgumentException(pages.text().get(ui, "users.notYourself")));
            return;
          }
          boolean block = action.equals("block");
          done = directory.setDisabled(u.id(), block)
              .compose(v -> audit(c, u, block ? "user.disable" : "user.enable", new JsonObject()))
              .map(v -> pages.text().get(ui, block ? "users.blocked" : "users.unblocked"));
        }
        case "revoke" -> done = directory.revokeTokens(u.id())
            .compose(n -> audit(c, u, "user.revoke-tokens", new JsonObject().put("revoked", n)).map(n))
            .map(n -> pages.text().get(ui, "users.revoked", n));
        case "password" -> {
          String password = Passwords.oneTime();
          vertx.executeBlocking(() -> Passwords.hash(password))
              .compose(hash -> directory.setPassword(u.id(), hash))
              .compose(v -> audit(c, u, "user.password", new JsonObject()))
              .onSuccess(v -> {
                renderSecret(ctx, "user", userModel(ctx, c, u), "password", password, u.email());
              })
              .onFailure(ctx::fail);
          return;
        }
        default -> {
          ctx.fail(400, new IllegalArgumentException("Choose what to change."));
          return;
        }
      }
      done.onSuccess(notice -> {
        pages.notice(ctx, notice);
        ctx.redirect("/admin/users/" + u.id());
      }).onFailure(e -> ctx.fail(e instanceof IllegalArgumentException ? 400 : 500, e));
    }).onFailure(ctx::fail);
  }

  /** The user named by the path when it belongs to the caller's tenant; otherwise the request fails with 404. */
  private Future<Optional<StaffUser>> ofTenant(RoutingContext ctx, Access.Scoped c) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      ctx.fail(404, new Access.NotFound("There is no such user."));
      return Future.succeededFuture(Optional.empty());
    }
    return directory.find(id).map(found -> {
      Optional<StaffUser> mine = found.filter(u -> u.tenantId().equals(c.tenant()));
      if (mine.isEmpty()) {
        ctx.fail(404, new Access.NotFound("There is no such user."));
      }
      return mine;
    });
  }

  private static Set<Role> roles(MultiMap form) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String r : form.getAll("role")) {
      roles.add(Role.parse(r));
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("Choose at least one role.");
    }
    return roles;
  }

  private static List<String> wire(Set<Role> roles) {
    return roles.stream().map(Role::wireName).sorted().toList();
  }

  private Future<Void> audit(Access.Scoped c, StaffUser u, String action, JsonObject details) {
    return audit.record(Optional.of(c.tenant()), c.who().actor(), action, u.email(),
        details.put("via", c.who().via()));
  }

  /** A page that shows a one-time password or a new token once: the answer is never cached. */
  private void renderSecret(RoutingContext ctx, String template, Map<String, Object> m, String kind, String secret,
                            String forWhom) {
    m.put("secretKind", kind);
    m.put("secret", secret);
    m.put("secretFor", forWhom);
    ctx.response().putHeader("cache-control", "no-store");
    pages.render(ctx, template, m);
  }

  // ---- the signed-in user's own account ------------------------------------------------------------------------

  private Optional<StaffPrincipal> person(RoutingContext ctx) {
    StaffPrincipal who = StaffAuth.principal(ctx);
    if (who.userId().isEmpty()) {
      ctx.fail(404, new Access.NotFound("The operator has no account page."));
      return Optional.empty();
    }
    return Optional.of(who);
  }

  private void account(RoutingContext ctx) {
    person(ctx).ifPresent(who -> pages.render(ctx, "account",
        pages.model(ctx, Optional.of(who), "account.title", "account")));
  }

  /** {@code do=password} (current, new, repeated) or {@code do=token} (a new personal API token, shown once). */
  private void accountChange(RoutingContext ctx) {
    Optional<StaffPrincipal> person = person(ctx);
    if (person.isEmpty()) {
      return;
    }
    StaffPrincipal who = person.get();
    UUID id = who.userId().get();
    Language ui = pages.lang(ctx);
    MultiMap form = ctx.request().formAttributes();
    String action = Optional.ofNullable(form.get("do")).orElse("");
    Optional<String> tenant = who.tenantId();
    if (action.equals("token")) {
      directory.issueToken(id)
          .compose(token -> audit.record(tenant, who.actor(), "user.token", who.actor(),
              new JsonObject().put("via", "account page")).map(token))
          .onSuccess(token -> {
            renderSecret(ctx, "account", pages.model(ctx, Optional.of(who), "account.title", "account"), "token",
                token, who.actor());
          })
          .onFailure(ctx::fail);
      return;
    }
    if (!action.equals("password")) {
      ctx.fail(400, new IllegalArgumentException("Choose what to change."));
      return;
    }
    String current = Optional.ofNullable(form.get("current")).orElse("");
    String fresh = Optional.ofNullable(form.get("password")).orElse("");
    if (!fresh.equals(Optional.ofNullable(form.get("repeat")).orElse(""))) {
      ctx.fail(400, new IllegalArgumentException(pages.text().get(ui, "account.mismatch")));
      return;
    }
    if (fresh.length() < Passwords.MIN_LENGTH || fresh.length() > Passwords.MAX_LENGTH) {
      ctx.fail(400, new IllegalArgumentException(pages.text().get(ui, "account.length", Passwords.MIN_LENGTH)));
      return;
    }
    directory.find(id).compose(user -> user.isEmpty() ? Future.succeededFuture(Optional.<StaffDirectory.Credentials>empty())
            : directory.credentials(user.get().email()))
        .compose(credentials -> vertx.executeBlocking(() -> credentials.flatMap(StaffDirectory.Credentials::passwordHash)
            .filter(hash -> Passwords.matches(current, hash)).map(ok -> Passwords.hash(fresh))))
        .onSuccess(hash -> {
          if (hash.isEmpty()) {
            ctx.fail(400, new IllegalArgumentException(pages.text().get(ui, "account.wrongCurrent")));
            return;
          }
          directory.setPassword(id, hash.get())
              .compose(v -> audit.record(tenant, who.actor(), "user.password", who.actor(),
                  new JsonObject().put("via", "account page")))
              .onSuccess(v -> {
                pages.notice(ctx, pages.text().get(ui, "account.changed"));
                ctx.redirect("/admin/account");
              })
              .onFailure(ctx::fail);
        })
        .onFailure(ctx::fail);
  }
}
