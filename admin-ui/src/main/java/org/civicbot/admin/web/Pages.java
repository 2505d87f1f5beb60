package org.civicbot.admin.web;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.common.template.TemplateEngine;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffPrincipal;
import org.civicbot.knowledge.Language;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the staff pages: the layout's model (language, texts, CSRF token, the menu for the caller's roles, a
 * one-time notice), the language choice kept in the session, and HTML responses that are never cached.
 */
public final class Pages {
  static final String CSRF_FIELD = "X-XSRF-TOKEN";
  private static final String SESSION_LANG = "staff.lang";
  private static final String SESSION_NOTICE = "staff.notice";

  private final TemplateEngine engine;
  private final UiText text;

  public Pages(TemplateEngine engine, UiText text) {
    this.engine = engine;
    this.text = text;
  }

  public UiText text() {
    return text;
  }

  /** {@code ?lang=} (remembered in the session), else the session's, else the browser's preference. */
  public Language lang(RoutingContext ctx) {
    String asked = ctx.queryParams().get("ui");
    Session session = ctx.session();
    if (asked != null && (asked.equals("da") || asked.equals("en"))) {
      if (session != null) {
        session.put(SESSION_LANG, asked);
      }
      return Language.fromCode(asked);
    }
    if (session != null && session.get(SESSION_LANG) instanceof String chosen) {
      return Language.fromCode(chosen);
    }
    String accept = Optional.ofNullable(ctx.request().getHeader("accept-language")).orElse("");
    return accept.toLowerCase(java.util.Locale.ROOT).startsWith("en") ? Language.EN : Language.DA;
  }

  /** A notice shown once, on the next page (after a redirect). */
  public void notice(RoutingContext ctx, String message) {
    if (ctx.session() != null) {
      ctx.session().put(SESSION_NOTICE, message);
    }
  }

  /** The layout's model; {@code who} is empty on the login page. */
  public Map<String, Object> model(RoutingContext ctx, Optional<StaffPrincipal> who, String titleKey, String nav) {
    Language lang = lang(ctx);
    Map<String, Object> m = new HashMap<>();
    m.put("lang", lang.code());
    m.put("otherLang", lang == Language.DA ? "en" : "da");
    m.put("t", text.all(lang));
    m.put("title", text.get(lang, titleKey));
    m.put("nav", nav);
    m.put("csrf", Optional.ofNullable((String) ctx.get(CSRF_FIELD)).orElse(""));
    m.put("path", ctx.request().path());
    who.ifPresent(w -> {
      m.put("user", w.name());
      m.put("tenant", w.tenantId().orElse("*"));
      m.put("menu", menu(w));
      m.put("hasAccount", w.userId().isPresent());
      m.put("roles", w.roles().stream().map(Role::wireName).sorted().toList());
    });
    if (ctx.session() != null && ctx.session().get(SESSION_NOTICE) != null) {
      m.put("notice", ctx.session().remove(SESSION_NOTICE));
    }
    return m;
  }

  /** The menu entries the caller's roles open. */
  private static List<Map<String, String>> menu(StaffPrincipal who) {
    List<Map<String, String>> items = new ArrayList<>();
    items.add(Map.of("id", "home", "href", "/admin/"));
    if (who.has(Role.EDITOR)) {
      items.add(Map.of("id", "articles", "href", "/admin/articles"));
      items.add(Map.of("id", "gaps", "href", "/admin/gaps"));
      items.add(Map.of("id", "console", "href", "/admin/console"));
      items.add(Map.of("id", "concepts", "href", "/admin/concepts"));
      items.add(Map.of("id", "regressions", "href", "/admin/regressions"));
      items.add(Map.of("id", "transfer", "href", "/admin/transfer"));
    }
    if (who.has(Role.AGENT)) {
      items.add(Map.of("id", "inbox", "href", "/admin/inbox"));
    }
    if (who.has(Role.MANAGER)) {
      items.add(Map.of("id", "dashboard", "href", "/admin/dashboard"));
      items.add(Map.of("id", "reviews", "href", "/admin/reviews"));
    }
    if (who.has(Role.ADMIN)) {
      items.add(Map.of("id", "users", "href", "/admin/users"));
      items.add(Map.of("id", "hours", "href", "/admin/hours"));
      items.add(Map.of("id", "audit", "href", "/admin/audit"));
    }
    return items;
  }

  public void render(RoutingContext ctx, String template, Map<String, Object> model) {
    render(ctx, 200, template, model);
  }

  public void render(RoutingContext ctx, int status, String template, Map<String, Object> model) {
    Future<Buffer> html = engine.render(model, "staff/templates/" + template + ".peb");
    html.onSuccess(body -> {
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(status).putHeader("content-type", "text/html; charset=utf-8")
            .putHeader("cache-control", "no-store").end(body);
      }
    }).onFailure(e -> {
      if (ctx.failed()) {
        // the error page itself failed: a bare page rather than another round of failure handling
        org.slf4j.LoggerFactory.getLogger(Pages.class).error("The staff error page could not be rendered", e);
        if (!ctx.response().headWritten()) {
          ctx.response().setStatusCode(status).putHeader("content-type", "text/html; charset=utf-8")
              .end("<!doctype html><html lang=\"en\"><title>Error</title><h1>Error " + status + "</h1></html>");
        }
      } else {
        ctx.fail(e);
      }
    });
  }

  /** Whether htmx asked (then only the fragment is rendered, not the whole page). */
  public static boolean partial(RoutingContext ctx) {
    return "true".equals(ctx.request().getHeader("hx-request"));
  }
}
