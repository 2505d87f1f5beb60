package org.civicbot.admin.content;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.Access;
import org.civicbot.admin.HttpJson;
import org.civicbot.admin.staff.Role;
import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The editors' JSON API of DESIGN (role {@code editor}, the caller's own tenant): articles with their revisions,
 * drafts, publishing, restores and diffs, and the content gaps with the actions that close them.
 */
public final class EditorApi {
  private static final String BASE = "/api/v1/admin/articles/:slug/:lang";

  private final Articles articles;
  private final ContentGaps gaps;
  private final RegressionCases cases;
  private final String defaultTenant;

  public EditorApi(Articles articles, ContentGaps gaps, RegressionCases cases, String defaultTenant) {
    this.articles = articles;
    this.gaps = gaps;
    this.cases = cases;
    this.defaultTenant = defaultTenant;
  }

  public void mount(Router router) {
    router.get("/api/v1/admin/articles").handler(ctx -> editor(ctx, this::list));
    router.get(BASE + "/diff").handler(ctx -> editor(ctx, this::diff));
    router.get(BASE).handler(ctx -> editor(ctx, this::show));
    router.put(BASE).handler(ctx -> editor(ctx, this::save));
    router.post(BASE + "/publish").handler(ctx -> editor(ctx, this::publish));
    router.post(BASE + "/check").handler(ctx -> editor(ctx, this::check));
    router.post(BASE + "/unpublish").handler(ctx -> editor(ctx, this::unpublish));
    router.post(BASE + "/revisions/:n/restore").handler(ctx -> editor(ctx, this::restore));
    router.get("/api/v1/admin/gaps").handler(ctx -> editor(ctx, this::listGaps));
    router.post("/api/v1/admin/gaps/actions").handler(ctx -> editor(ctx, this::gapAction));
    router.get("/api/v1/admin/regression-cases").handler(ctx -> editor(ctx, this::listCases));
    router.post("/api/v1/admin/regression-cases").handler(ctx -> editor(ctx, this::saveCase));
    router.post("/api/v1/admin/regression-cases/run").handler(ctx -> editor(ctx, this::runCases));
    router.delete("/api/v1/admin/regression-cases/:id").handler(ctx -> editor(ctx, this::deleteCase));
  }

  private void editor(RoutingContext ctx, BiConsumer<RoutingContext, Access.Scoped> handler) {
    Access.scoped(ctx, defaultTenant, Role.EDITOR).ifPresent(caller -> handler.accept(ctx, caller));
  }

  private void list(RoutingContext ctx, Access.Scoped caller) {
    Optional<Language> lang = optionalLanguage(ctx, ctx.queryParams().get("lang"));
    if (lang == null) {
      return;
    }
    Articles.Filter filter = new Articles.Filter(lang, param(ctx, "q"), param(ctx, "area"), param(ctx, "status"),
        "true".equals(ctx.queryParams().get("missingTranslation")));
    articles.list(caller.tenant(), filter)
        .onSuccess(rows -> HttpJson.send(ctx, new JsonObject().put("articles",
            new JsonArray(rows.stream().map(Articles.Row::toJson).toList()))))
        .onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx, Access.Scoped caller) {
    Optional<Language> lang = language(ctx);
    if (lang.isEmpty()) {
      return;
    }
    String slug = ctx.pathParam("slug");
    articles.revisions(caller.tenant(), slug, lang.get())
        .onSuccess(all -> {
          if (all.isEmpty()) {
            ctx.fail(404, new Access.NotFound("There is no article " + slug + " (" + lang.get().code() + ")."));
            return;
          }
          Article current = all.get(all.size() - 1);
          Optional<Article> published = all.stream().filter(a -> a.status() == Article.Status.PUBLISHED).findFirst();
          JsonArray history = new JsonArray();
          all.forEach(a -> history.add(new JsonObject().put("revision", a.revision()).put("author", a.author())
              .put("createdAt", a.createdAt().toString()).put("status", a.status().name().toLowerCase())));
          HttpJson.send(ctx, new JsonObject().put("current", ArticleJson.write(current)
                  .put("spokenSeconds", ArticleJson.spokenSeconds(current.content().spoken())))
              .put("published", published.map(Article::revision).orElse(null))
              .put("history", history));
        })
        .onFailure(ctx::fail);
  }

  private void save(RoutingContext ctx, Access.Scoped caller) {
    Optional<Language> lang = language(ctx);
    Optional<JsonObject> body = lang.isEmpty() ? Optional.empty() : HttpJson.body(ctx);
    if (body.isEmpty()) {
      return;
    }
    String slug = ctx.pathParam("slug");
    ArticleContent content;
    try {
      content = ArticleJson.read(slug, lang.get(), body.get());
    } catch (ArticleJson.FieldException e) {
      fieldError(ctx, e.field(), e.getMessage());
      return;
    }
    articles.latest(caller.tenant(), slug, lang.get())
        .compose(before -> articles.saveDraft(caller.who(), caller.tenant(), content)
            .map(saved -> new Object[] {before.isEmpty(), saved}))
        .onSuccess(r -> HttpJson.send(ctx, (Boolean) r[0] ? 201 : 200, ArticleJson.write((Article) r[1])))
        .onFailure(ctx::fail);
  }

  /** A request naming an article revision: the path's language, the body, its optional {@code "revision"}. */
  private record RevisionRequest(Language lang, JsonObject body, Optional<Integer> revision) {
  }

  /** Empty when the request was failed (404 for the language, 400 for the body or the revision). */
  private static Optional<RevisionRequest> revisionRequest(RoutingContext ctx) {
    Optional<Language> lang = language(ctx);
    Optional<JsonObject> body = lang.isEmpty() ? Optional.empty() : HttpJson.body(ctx);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    Object revision = body.get().getValue("revision");
    if (revision != null && !(revision instanceof Integer)) {
      ctx.fail(400, new IllegalArgumentException("\"revision\" must be a whole number."));
      return Optional.empty();
    }
    return Optional.of(new RevisionRequest(lang.get(), body.get(), Optional.ofNullable((Integer) revision)));
  }

  private void publish(RoutingContext ctx, Access.Scoped caller) {
    revisionRequest(ctx).ifPresent(r -> respond(ctx, articles.publish(caller.who(), caller.tenant(),
        ctx.pathParam("slug"), r.lang(), r.revision()).map(ArticleJson::write)));
  }

  /**
   * {@code {"revision"}} or {@code {"unpublish": true}}: the regression cases replayed against the knowledge base as
   * it would be after publishing that revision (the latest when absent) or after unpublishing; nothing changes.
   */
  private void check(RoutingContext ctx, Access.Scoped caller) {
    revisionRequest(ctx).ifPresent(r -> {
      String slug = ctx.pathParam("slug");
      boolean unpublish = Boolean.TRUE.equals(r.body().getValue("unpublish"));
      respond(ctx, (unpublish ? cases.beforeChange(caller.tenant(), slug, r.lang(), Optional.empty())
          : cases.beforePublish(caller.tenant(), slug, r.lang(), r.revision())).map(RegressionCases.Check::toJson));
    });
  }

  private void listCases(RoutingContext ctx, Access.Scoped caller) {
    Optional<Language> lang = optionalLanguage(ctx, ctx.queryParams().get("lang"));
    if (lang != null) {
      respond(ctx, cases.list(caller.tenant(), lang).map(all -> new JsonObject().put("cases",
          new JsonArray(all.stream().map(RegressionCases.Case::toJson).toList()))));
    }
  }

  /**
   * {@code {"name", "lang", "channel": web|phone, "turns": [{"text", "outcome"?, "article"?}]}}: a turn without an
   * outcome expects what the bot answers now.
   */
  private void saveCase(RoutingContext ctx, Access.Scoped caller) {
    Optional<JsonObject> parsed = HttpJson.body(ctx);
    if (parsed.isEmpty()) {
      return;
    }
    JsonObject body = parsed.get();
    if (!(body.getValue("name") instanceof String name) || name.isBlank() || name.length() > 200) {
      fieldError(ctx, "name", "\"name\" must be the case's name (1 to 200 characters).");
      return;
    }
    Optional<Language> lang = optionalLanguage(ctx, body.getValue("lang") instanceof String l ? l : "");
    if (lang == null) {
      return;
    }
    if (lang.isEmpty()) {
      fieldError(ctx, "lang", "\"lang\" must be \"da\" or \"en\".");
      return;
    }
    Object channel = body.getValue("channel", "web");
    if (!"web".equals(channel) && !"phone".equals(channel)) {
      fieldError(ctx, "channel", "\"channel\" must be \"web\" or \"phone\".");
      return;
    }
    if (!(body.getValue("turns") instanceof JsonArray turns) || turns.isEmpty()
        || turns.size() > RegressionCases.MAX_TURNS) {
      fieldError(ctx, "turns", "\"turns\" must list 1 to " + RegressionCases.MAX_TURNS + " messages.");
      return;
    }
    List<String> messages = new ArrayList<>();
    List<Optional<RegressionCases.Expected>> expected = new ArrayList<>();
    for (Object t : turns) {
      if (!(t instanceof JsonObject turn) || !(turn.getValue("text") instanceof String text) || text.isBlank()
          || text.length() > 2_000 || !(turn.getValue("outcome", "") instanceof String outcome)
          || !(turn.getValue("article", "") instanceof String article)) {
        fieldError(ctx, "turns", "Each turn is {\"text\": 1 to 2000 characters, \"outcome\"?: text,"
            + " \"article\"?: slug}.");
        return;
      }
      messages.add(text);
      expected.add(outcome.isEmpty() ? Optional.empty() : Optional.of(new RegressionCases.Expected(outcome,
          Optional.of(article).filter(a -> !a.isEmpty()))));
    }
    cases.save(caller.who(), caller.tenant(), name.strip(), lang.get(), (String) channel, messages, expected)
        .onSuccess(saved -> HttpJson.send(ctx, 201, saved.toJson()))
        .onFailure(ctx::fail);
  }

  private void runCases(RoutingContext ctx, Access.Scoped caller) {
    respond(ctx, cases.run(caller.tenant()).map(RegressionCases.Check::toJson));
  }

  private void deleteCase(RoutingContext ctx, Access.Scoped caller) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      ctx.fail(404, new Access.NotFound("There is no such regression case."));
      return;
    }
    cases.delete(caller.who(), caller.tenant(), id).onSuccess(deleted -> {
      if (deleted) {
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.fail(404, new Access.NotFound("There is no such regression case."));
      }
    }).onFailure(ctx::fail);
  }

  private static void fieldError(RoutingContext ctx, String field, String message) {
    HttpJson.send(ctx, 400, new JsonObject().put("error", "invalid_field").put("field", field)
        .put("message", message));
  }

  private void unpublish(RoutingContext ctx, Access.Scoped caller) {
    Optional<Language> lang = language(ctx);
    if (lang.isPresent()) {
      respond(ctx, articles.unpublish(caller.who(), caller.tenant(), ctx.pathParam("slug"), lang.get())
          .map(changed -> new JsonObject().put("unpublished", changed)));
    }
  }

  private void restore(RoutingContext ctx, Access.Scoped caller) {
    Optional<Language> lang = language(ctx);
    Optional<Integer> n = lang.isEmpty() ? Optional.empty() : revision(ctx, ctx.pathParam("n"));
    Optional<JsonObject> body = n.isEmpty() ? Optional.empty() : HttpJson.body(ctx);
    if (body.isEmpty()) {
      return;
    }
    boolean publish = !Boolean.FALSE.equals(body.get().getValue("publish"));
    respond(ctx, articles.restore(caller.who(), caller.tenant(), ctx.pathParam("slug"), lang.get(), n.get(), publish)
        .map(ArticleJson::write));
  }

  private void diff(RoutingContext ctx, Access.Scoped caller) {
    Optional<Language> lang = language(ctx);
    Optional<Integer> from = lang.isEmpty() ? Optional.empty() : revision(ctx, ctx.queryParams().get("from"));
    Optional<Integer> to = from.isEmpty() ? Optional.empty() : revision(ctx, ctx.queryParams().get("to"));
    if (to.isEmpty()) {
      return;
    }
    String slug = ctx.pathParam("slug");
    articles.revisions(caller.tenant(), slug, lang.get())
        .onSuccess(all -> {
          Optional<Article> a = all.stream().filter(r -> r.revision() == from.get()).findFirst();
          Optional<Article> b = all.stream().filter(r -> r.revision() == to.get()).findFirst();
          if (a.isEmpty() || b.isEmpty()) {
            ctx.fail(404, new Access.NotFound("There is no such revision of " + slug + "."));
            return;
          }
          JsonArray fields = new JsonArray();
          Articles.diff(a.get(), b.get()).forEach(f -> fields.add(new JsonObject().put("field", f.field())
              .put("lines", new JsonArray(f.lines().stream().map(l -> new JsonObject().put("tag", l.tag())
                  .put("before", l.before()).put("after", l.after())).toList()))));
          HttpJson.send(ctx, new JsonObject().put("from", from.get()).put("to", to.get()).put("fields", fields));
        })
        .onFailure(ctx::fail);
  }

  private void listGaps(RoutingContext ctx, Access.Scoped caller) {
    Optional<Language> lang = optionalLanguage(ctx, ctx.queryParams().get("lang"));
    Optional<LocalDate[]> period = lang == null ? Optional.empty() : Access.period(ctx);
    if (period.isEmpty()) {
      return;
    }
    gaps.groups(caller.tenant(), period.get()[0], period.get()[1], lang)
        .onSuccess(groups -> HttpJson.send(ctx, new JsonArray(groups.stream().map(ContentGaps.Group::toJson).toList())))
        .onFailure(ctx::fail);
  }

  /** {@code {"question", "lang", "action": phrasing|linked|new-article|ignored, "slug"}}. */
  private void gapAction(RoutingContext ctx, Access.Scoped caller) {
    Optional<JsonObject> parsed = HttpJson.body(ctx);
    if (parsed.isEmpty()) {
      return;
    }
    JsonObject body = parsed.get();
    if (!(body.getValue("question") instanceof String question) || question.isBlank() || question.length() > 2_000) {
      ctx.fail(400, new IllegalArgumentException("\"question\" must be the question's text (1 to 2000 characters)."));
      return;
    }
    Optional<Language> lang = optionalLanguage(ctx, body.getValue("lang") instanceof String l ? l : "");
    if (lang == null) {
      return;
    }
    if (lang.isEmpty()) {
      ctx.fail(400, new IllegalArgumentException("\"lang\" must be \"da\" or \"en\"."));
      return;
    }
    ContentGaps.Action action;
    try {
      action = ContentGaps.Action.parse(body.getValue("action") instanceof String a ? a : "");
    } catch (IllegalArgumentException e) {
      ctx.fail(400, e);
      return;
    }
    Optional<String> slug = body.getValue("slug") instanceof String s && ArticleContent.SLUG.matcher(s).matches()
        ? Optional.of(s) : Optional.empty();
    if (action != ContentGaps.Action.IGNORED && slug.isEmpty()) {
      ctx.fail(400, new IllegalArgumentException("\"slug\" must name the article for action " + action.wireName()
          + "."));
      return;
    }
    respond(ctx, gaps.close(caller.who(), caller.tenant(), question, lang.get(), action, slug)
        .map(article -> new JsonObject().put("action", action.wireName()).put("slug", slug.orElse(null))
            .put("article", article.map(ArticleJson::write).orElse(null))));
  }

  private static void respond(RoutingContext ctx, Future<JsonObject> result) {
    result.onSuccess(json -> HttpJson.send(ctx, json))
        .onFailure(e -> ctx.fail(e instanceof Articles.NoSuchArticle ? 404 : 500, e));
  }

  /** The path's language; any other segment is no resource (404). */
  private static Optional<Language> language(RoutingContext ctx) {
    String code = ctx.pathParam("lang");
    if (!"da".equals(code) && !"en".equals(code)) {
      ctx.fail(404, new Access.NotFound("There are articles in \"da\" and \"en\" only."));
      return Optional.empty();
    }
    return Optional.of(Language.fromCode(code));
  }

  /** Empty for no value; null (the request failed with 400) for a value that is not a language. */
  static Optional<Language> optionalLanguage(RoutingContext ctx, String code) {
    if (code == null || code.isBlank()) {
      return Optional.empty();
    }
    if (!code.equals("da") && !code.equals("en")) {
      ctx.fail(400, new IllegalArgumentException("\"lang\" must be \"da\" or \"en\", but was '" + code + "'."));
      return null;
    }
    return Optional.of(Language.fromCode(code));
  }

  private static Optional<Integer> revision(RoutingContext ctx, String value) {
    try {
      int n = Integer.parseInt(value == null ? "" : value);
      if (n >= 1) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    ctx.fail(400, new IllegalArgumentException("A revision is a whole number from 1, but was '" + value + "'."));
    return Optional.empty();
  }

  private static Optional<String> param(RoutingContext ctx, String name) {
    return Optional.ofNullable(ctx.queryParams().get(name)).map(String::strip).filter(s -> !s.isEmpty());
  }

}
