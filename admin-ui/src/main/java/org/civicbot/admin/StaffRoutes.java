package org.civicbot.admin;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CSRFHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.templ.pebble.PebbleTemplateEngine;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.civicbot.admin.content.Articles;
import org.civicbot.admin.content.ContentGaps;
import org.civicbot.admin.content.EditorApi;
import org.civicbot.admin.content.ImportJobs;
import org.civicbot.admin.content.RegressionCases;
import org.civicbot.admin.staff.AgentPresence;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.staff.Logins;
import org.civicbot.admin.staff.PgSessionStore;
import org.civicbot.admin.staff.StaffAuth;
import org.civicbot.admin.staff.StaffDirectory;
import org.civicbot.admin.stats.Reviews;
import org.civicbot.admin.stats.ConversationExport;
import org.civicbot.admin.stats.Statistics;
import org.civicbot.admin.stats.StatsApi;
import org.civicbot.admin.web.ConsolePage;
import org.civicbot.admin.web.DashboardPage;
import org.civicbot.admin.web.HoursPages;
import org.civicbot.admin.web.InboxPages;
import org.civicbot.admin.web.ReviewPages;
import org.civicbot.admin.web.TransferPages;
import org.civicbot.admin.web.EditorPages;
import org.civicbot.admin.web.Pages;
import org.civicbot.admin.web.StaffWeb;
import org.civicbot.admin.web.UiText;
import org.civicbot.admin.web.UsersPages;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.handoff.CallbackQueue;
import org.civicbot.bot.handoff.StaffedHours;
import org.civicbot.knowledge.KnowledgeBase;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Everything staff reach: the web app under {@code /admin/} and the admin API under {@code /api/v1/admin/}. In front
 * of both: a session (in PostgreSQL, cookie HttpOnly, SameSite=Strict, Secure unless configured off), CSRF
 * protection by vertx-web's {@link CSRFHandler} for every state-changing request that comes with a cookie rather
 * than a bearer token, and authentication ({@link StaffAuth}); each route then checks role and tenant itself.
 */
public final class StaffRoutes {
  public static final Duration SESSION_IDLE = Duration.ofMinutes(30);
  /** The editors' import of article files: the one staff route that takes file uploads. */
  public static final String UPLOAD_PATH = TransferPages.UPLOAD_PATH;
  /** How large an upload to {@link #UPLOAD_PATH} may be (every other request body is far smaller). */
  public static final long MAX_UPLOAD_BYTES = 20L * 1024 * 1024;

  /** What the staff side needs from the composition root. */
  public record Settings(String defaultTenant, Optional<String> operatorToken, boolean secureCookies,
                         java.time.ZoneId zone) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final Settings settings;
  private final String csrfSecret;
  private final StaffDirectory directory;
  private final AuditLog audit;

  private StaffRoutes(Vertx vertx, Pool pool, Settings settings, String csrfSecret) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
    this.csrfSecret = csrfSecret;
    this.directory = StaffDirectory.create(pool);
    this.audit = new AuditLog(pool);
  }

  /** Loads (or on the first start creates) the secret every replica signs CSRF tokens with. */
  public static Future<StaffRoutes> create(Vertx vertx, Pool pool, Settings settings) {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    return pool.preparedQuery("INSERT INTO staff_secrets (name, value) VALUES ('csrf', $1) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(Base64.getEncoder().encodeToString(fresh)))
        .compose(v -> pool.query("SELECT value FROM staff_secrets WHERE name = 'csrf'").execute())
        .map(rows -> new StaffRoutes(vertx, pool, settings, rows.iterator().next().getString(0)));
  }

  public StaffDirectory directory() {
    return directory;
  }

  public AuditLog audit() {
    return audit;
  }

  /** Mounts the app and the API; expects the body handler before them. */
  public void mount(Router router, KnowledgeBase kb, BotEngine engine, ConversationStore conversations,
                    CallbackQueue callbacks, StaffedHours hours, Clock clock) {
    // the app's own files and htmx, before any session: the login page needs them
    router.route("/admin/assets/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars")
        .setCachingEnabled(true).setMaxAgeSeconds(3600));
    router.route("/admin/assets/*").handler(StaticHandler.create("staff/assets").setCachingEnabled(true)
        .setMaxAgeSeconds(300));
    // vertx-web matches "/admin" to "/admin/" as well: redirect only the bare one
    router.get("/admin").handler(ctx -> {
      if (ctx.request().path().equals("/admin")) {
        ctx.redirect("/admin/");
      } else {
        ctx.next();
      }
    });

    SessionHandler sessions = SessionHandler.create(new PgSessionStore(vertx, pool))
        .setSessionCookieName("civicbot-staff")
        .setSessionTimeout(SESSION_IDLE.toMillis())
        .setCookieHttpOnlyFlag(true)
        .setCookieSecureFlag(settings.secureCookies())
        .setCookieSameSite(CookieSameSite.STRICT)
        .setNagHttps(false);
    CSRFHandler csrf = CSRFHandler.create(vertx, csrfSecret)
        .setCookieName("civicbot-xsrf")
        .setHeaderName(StaffAuth.CSRF_SESSION_KEY)
        // the token is renewed after every change; the page's script reads it for the next htmx request
        // (double-submit: the cookie alone proves nothing, the session must hold the same token)
        .setCookieHttpOnly(false)
        .setCookieSecure(settings.secureCookies())
        .setTimeout(SESSION_IDLE.toMillis())
        .setNagHttps(false);
    for (String path : new String[] {"/admin/*", "/api/v1/admin/*"}) {
      // automation with a bearer token has no cookie to forge and needs no session
      router.route(path).handler(unlessBearer(sessions)).handler(unlessBearer(ctx -> storeOnErrors(ctx, sessions)))
          .handler(unlessBearer(csrf));
    }

    UiText text = UiText.bundled();
    Pages pages = new Pages(PebbleTemplateEngine.create(vertx), text);
    StaffAuth auth = new StaffAuth(settings.operatorToken(), directory);
    StaffWeb web = new StaffWeb(pages, new Logins(vertx, directory, audit), audit);
    web.mountPublic(router);
    router.route("/admin/*").handler(auth.pages());
    router.route("/api/v1/admin/*").handler(auth.api());

    Articles articles = new Articles(kb, audit);
    ContentGaps gaps = new ContentGaps(vertx, pool, kb, articles, audit);
    new AdminApi(engine, conversations, callbacks, audit, settings.defaultTenant()).mount(router);
    AgentPresence presence = new AgentPresence(pool);
    new HandoffApi(engine, conversations, audit, presence).mount(router);
    RegressionCases cases = new RegressionCases(pool, kb, engine, audit);
    new EditorApi(articles, gaps, cases, settings.defaultTenant()).mount(router);
    web.mount(router);
    new EditorPages(pages, articles, gaps, cases, kb, audit, settings.defaultTenant()).mount(router);
    new ConsolePage(pages, engine, conversations, cases, settings.defaultTenant()).mount(router);
    Reviews reviews = new Reviews(pool, audit);
    Statistics statistics = new Statistics(pool, reviews, settings.zone());
    new StatsApi(statistics, settings.defaultTenant()).mount(router);
    new DashboardPage(pages, statistics, new ConversationExport(pool, settings.zone()), audit, settings.defaultTenant())
        .mount(router);
    new ReviewPages(pages, reviews, statistics, conversations, settings.defaultTenant()).mount(router);
    new InboxPages(pages, engine, conversations, callbacks, kb, audit, presence, settings.defaultTenant())
        .mount(router);
    new HoursPages(pages, hours, audit, settings.defaultTenant(), clock).mount(router);
    new UsersPages(vertx, pages, directory, audit, settings.defaultTenant()).mount(router);
    new TransferPages(vertx, pages, new ImportJobs(vertx, pool, kb, audit), settings.defaultTenant()).mount(router);
    router.route("/admin/*").handler(ctx -> ctx.fail(404, new Access.NotFound("No such page.")));
    router.route("/admin/*").failureHandler(web::failure);
  }

  /**
   * vertx-web stores a session only with a 2xx or 3xx response, but its CSRF handler renews the token (and sends the
   * new cookie) on every accepted change: a 400 for a bad field or a 401 for a wrong password would leave the browser
   * with a token its session does not know. Such responses store the session too.
   */
  private static void storeOnErrors(RoutingContext ctx, SessionHandler sessions) {
    ctx.addHeadersEndHandler(v -> {
      if (ctx.response().getStatusCode() >= 400 && ctx.session() != null && !ctx.session().isDestroyed()) {
        sessions.flush(ctx, true);
      }
    });
    ctx.next();
  }

  private static Handler<RoutingContext> unlessBearer(Handler<RoutingContext> handler) {
    return ctx -> {
      if (StaffAuth.hasBearer(ctx)) {
        ctx.next();
      } else {
        handler.handle(ctx);
      }
    };
  }
}
