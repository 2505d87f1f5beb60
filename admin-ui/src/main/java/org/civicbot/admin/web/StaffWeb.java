package org.civicbot.admin.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.Access;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.staff.Logins;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffAuth;
import org.civicbot.admin.staff.StaffPrincipal;
import org.civicbot.knowledge.Language;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The login and logout, the overview, the audit log, and the error pages of the staff app. */
public final class StaffWeb {

  private final Pages pages;
  private final Logins logins;
  private final AuditLog audit;

  public StaffWeb(Pages pages, Logins logins, AuditLog audit) {
    this.pages = pages;
    this.logins = logins;
    this.audit = audit;
  }

  /** Routes that need no login: the login form itself and logging out. */
  public void mountPublic(Router router) {
    router.get("/admin/login").handler(this::loginForm);
    router.post("/admin/login").handler(this::login);
    router.post("/admin/logout").handler(this::logout);
  }

  public void mount(Router router) {
    router.get("/admin/").handler(this::home);
    router.get("/admin/audit").handler(this::auditLog);
  }

  private void loginForm(RoutingContext ctx) {
    Map<String, Object> m = pages.model(ctx, Optional.empty(), "login.title", "login");
    m.put("next", safeNext(ctx.queryParams().get("next")));
    if (ctx.queryParams().get("out") != null) {
      m.put("notice", pages.text().get(pages.lang(ctx), "login.loggedOut"));
    }
    pages.render(ctx, "login", m);
  }

  private void login(RoutingContext ctx) {
    String email = Optional.ofNullable(ctx.request().getFormAttribute("email")).orElse("");
    String password = Optional.ofNullable(ctx.request().getFormAttribute("password")).orElse("");
    String next = safeNext(ctx.request().getFormAttribute("next"));
    String client = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    logins.login(email, password, client).onSuccess(result -> {
      if (result.outcome() == Logins.Outcome.OK) {
        StaffAuth.loggedIn(ctx, result.user().get(), Instant.now());
        ctx.redirect(next);
        return;
      }
      Language lang = pages.lang(ctx);
      Map<String, Object> m = pages.model(ctx, Optional.empty(), "login.title", "login");
      m.put("next", next);
      m.put("email", email);
      m.put("error", pages.text().get(lang, switch (result.outcome()) {
        case ACCOUNT_LOCKED -> "login.accountLocked";
        case CLIENT_LOCKED -> "login.clientLocked";
        default -> "login.wrong";
      }));
      pages.render(ctx, result.outcome() == Logins.Outcome.WRONG ? 401 : 429, "login", m);
    }).onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx) {
    StaffAuth.loggedOut(ctx);
    ctx.redirect("/admin/login?out=1");
  }

  /** Only a path of this app: a login link must not send anyone elsewhere. */
  static String safeNext(String next) {
    if (next == null || !next.startsWith("/admin/") || next.startsWith("//") || next.contains("\\")
        || next.startsWith("/admin/login") || next.length() > 500) {
      return "/admin/";
    }
    return next;
  }

  private void home(RoutingContext ctx) {
    StaffPrincipal who = StaffAuth.principal(ctx);
    pages.render(ctx, "home", pages.model(ctx, Optional.of(who), "home.title", "home"));
  }

  private void auditLog(RoutingContext ctx) {
    Optional<StaffPrincipal> who = Access.require(ctx, Role.ADMIN);
    if (who.isEmpty()) {
      return;
    }
    Optional<String> action = Optional.ofNullable(ctx.queryParams().get("action")).filter(a -> a.matches("[a-z.]{1,40}"));
    audit.list(who.get().tenantId(), action, 500).onSuccess(entries -> {
      Map<String, Object> m = pages.model(ctx, who, "audit.title", "audit");
      m.put("entries", entries.stream().map(e -> Map.of("at", e.at().toString().replace('T', ' ').substring(0, 19),
          "actor", e.actor(), "action", e.action(), "target", e.target())).toList());
      m.put("actions", List.of("login", "login.failed", "transcript.read", "article.save", "article.publish",
          "article.unpublish", "article.restore", "gap.action", "concepts.save", "regression.save", "regression.delete", "knowledge.import",
          "knowledge.export", "review.save", "settings.save", "user.add", "user.token"));
      m.put("action", action.orElse(""));
      pages.render(ctx, "audit", m);
    }).onFailure(ctx::fail);
  }

  /** Failures on staff pages as a page in the staff's language, never a stack trace; 401 goes to the login. */
  public void failure(RoutingContext ctx) {
    int status = ctx.statusCode() < 400 ? (ctx.failure() instanceof IllegalArgumentException ? 400 : 500)
        : ctx.statusCode();
    if (ctx.failure() instanceof Access.Forbidden) {
      status = 403;
    } else if (ctx.failure() instanceof Access.NotFound
        || ctx.failure() instanceof org.civicbot.admin.content.Articles.NoSuchArticle) {
      status = 404;
    }
    if (status == 401) {
      ctx.redirect("/admin/login");
      return;
    }
    if (status >= 500) {
      org.slf4j.LoggerFactory.getLogger(StaffWeb.class).error("Staff page {} {} failed", ctx.request().method(),
          ctx.request().path(), ctx.failure());
    }
    // vertx-web's CSRF handler fails with 403 and no Forbidden of ours
    boolean csrf = status == 403 && !(ctx.failure() instanceof Access.Forbidden);
    Language lang = pages.lang(ctx);
    Optional<StaffPrincipal> who = Optional.ofNullable(ctx.get(StaffAuth.PRINCIPAL));
    Map<String, Object> m = pages.model(ctx, who, "error.title", "");
    String key = csrf ? "error.csrf" : switch (status) {
      case 403 -> "error.403";
      case 404 -> "error.404";
      case 413 -> "error.413";
      case 500, 502, 503 -> "error.500";
      default -> "error.400";
    };
    m.put("message", pages.text().get(lang, key));
    if (ctx.failure() instanceof IllegalArgumentException e && status < 500 && !csrf && e.getMessage() != null) {
      m.put("detail", e.getMessage());
    }
    if (ctx.response().headWritten()) {
      return;
    }
    pages.render(ctx, status, "error", m);
  }
}
