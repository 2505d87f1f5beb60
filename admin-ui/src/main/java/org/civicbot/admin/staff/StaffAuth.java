package org.civicbot.admin.staff;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Who is asking, for every staff route: {@code Authorization: Bearer} with the operator token (every tenant, every
 * role) or a personal API token, or else a logged-in session. The user is re-read on every request, so a disabled
 * account or a changed role takes effect at once. A session lives at most {@link #MAX_SESSION_AGE} after its login
 * and ends after {@code idle} without requests (the session handler's timeout).
 */
public final class StaffAuth {
  public static final Duration MAX_SESSION_AGE = Duration.ofHours(12);
  public static final String PRINCIPAL = "civicbot.staff";
  static final String SESSION_USER = "staff.user";
  static final String SESSION_LOGIN_AT = "staff.loginAt";
  /** Where vertx-web's CSRF handler keeps its token in the session: under its header name. */
  public static final String CSRF_SESSION_KEY = "X-XSRF-TOKEN";

  private final Optional<byte[]> operatorToken;
  private final StaffDirectory directory;

  public StaffAuth(Optional<String> operatorToken, StaffDirectory directory) {
    this.operatorToken = operatorToken.filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.directory = directory;
  }

  /** For the JSON API: 401 with a JSON error when nobody is authenticated. */
  public Handler<RoutingContext> api() {
    return ctx -> authenticate(ctx).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else if (result.result().isEmpty()) {
        ctx.response().putHeader("www-authenticate", "Bearer realm=\"civicbot-admin\"");
        ctx.fail(401, new IllegalArgumentException(hasBearer(ctx) ? "The token is not valid."
            : "Log in at /admin/login or send a token as \"Authorization: Bearer <token>\"."));
      } else {
        ctx.put(PRINCIPAL, result.result().get());
        ctx.next();
      }
    });
  }

  /** For the web pages: a visitor who is not logged in is sent to the login page, and back afterwards. */
  public Handler<RoutingContext> pages() {
    return ctx -> authenticate(ctx).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else if (result.result().isEmpty()) {
        String back = ctx.request().method().name().equals("GET") ? ctx.request().uri() : "/admin/";
        ctx.redirect("/admin/login?next=" + java.net.URLEncoder.encode(back, StandardCharsets.UTF_8));
      } else {
        ctx.put(PRINCIPAL, result.result().get());
        ctx.next();
      }
    });
  }

  /** The principal an earlier handler of this chain authenticated. */
  public static StaffPrincipal principal(RoutingContext ctx) {
    StaffPrincipal p = ctx.get(PRINCIPAL);
    if (p == null) {
      throw new IllegalStateException("no authenticated staff principal on this route");
    }
    return p;
  }

  public static boolean hasBearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
  }

  /** Puts the user into the session after a successful login: a fresh session id, so a planted one is worthless. */
  public static void loggedIn(RoutingContext ctx, StaffUser user, Instant now) {
    Session session = ctx.session();
    session.regenerateId();
    // vertx-web's CSRF token is bound to the session id: the next page issues one for the new id
    session.remove(CSRF_SESSION_KEY);
    session.put(SESSION_USER, user.id().toString());
    session.put(SESSION_LOGIN_AT, now.toEpochMilli());
  }

  public static void loggedOut(RoutingContext ctx) {
    Session session = ctx.session();
    if (session != null) {
      session.destroy();
    }
  }

  private Future<Optional<StaffPrincipal>> authenticate(RoutingContext ctx) {
    if (hasBearer(ctx)) {
      String presented = ctx.request().getHeader("authorization").substring(7).trim();
      if (operatorToken.isPresent()
          && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), operatorToken.get())) {
        return Future.succeededFuture(Optional.of(StaffPrincipal.operator()));
      }
      return directory.findByToken(presented).map(user -> user.map(u -> StaffPrincipal.of(u, "token")));
    }
    Session session = ctx.session();
    if (session == null || session.get(SESSION_USER) == null) {
      return Future.succeededFuture(Optional.empty());
    }
    Long loginAt = session.get(SESSION_LOGIN_AT);
    if (loginAt == null || Instant.ofEpochMilli(loginAt).plus(MAX_SESSION_AGE).isBefore(Instant.now())) {
      session.destroy();
      return Future.succeededFuture(Optional.empty());
    }
    UUID userId;
    try {
      userId = UUID.fromString(session.get(SESSION_USER));
    } catch (IllegalArgumentException e) {
      session.destroy();
      return Future.succeededFuture(Optional.empty());
    }
    return directory.find(userId).map(user -> {
      if (user.isEmpty() || user.get().disabled()) {
        session.destroy();
        return Optional.empty();
      }
      return Optional.of(StaffPrincipal.of(user.get(), "session"));
    });
  }
}
