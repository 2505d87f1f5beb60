package org.civicbot.admin.web;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.Access;
import org.civicbot.admin.content.ArticleJson;
import org.civicbot.admin.content.Articles;
import org.civicbot.admin.content.ContentGaps;
import org.civicbot.admin.content.RegressionCases;
import org.civicbot.admin.staff.Role;
import org.civicbot.bot.render.MarkdownRenderer;
import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Concept;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.NotCovered;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/** The editors' pages: the article list, an article in both languages with preview and history, diffs, content gaps
 * and concept lists. Every form posts back and redirects (so a reload never repeats it). */
public final class EditorPages {

  private final Pages pages;
  private final Articles articles;
  private final ContentGaps gaps;
  private final RegressionCases cases;
  private final KnowledgeBase kb;
  private final org.civicbot.admin.staff.AuditLog audit;
  private final String defaultTenant;
  private final MarkdownRenderer markdown = new MarkdownRenderer();

  public EditorPages(Pages pages, Articles articles, ContentGaps gaps, RegressionCases cases, KnowledgeBase kb,
                     org.civicbot.admin.staff.AuditLog audit, String defaultTenant) {
    this.pages = pages;
    this.audit = audit;
    this.articles = articles;
    this.gaps = gaps;
    this.cases = cases;
    this.kb = kb;
    this.defaultTenant = defaultTenant;
  }

  public void mount(Router router) {
    router.get("/admin/articles").handler(ctx -> editor(ctx, this::list));
    router.get("/admin/articles/new").handler(ctx -> editor(ctx, this::newArticle));
    router.post("/admin/articles/new").handler(ctx -> editor(ctx, this::create));
    router.post("/admin/preview").handler(ctx -> editor(ctx, this::preview));
    router.get("/admin/articles/:slug").handler(ctx -> editor(ctx, this::article));
    router.post("/admin/articles/:slug/:lang").handler(ctx -> editor(ctx, this::save));
    router.post("/admin/articles/:slug/:lang/publish").handler(ctx -> editor(ctx, this::publish));
    router.post("/admin/articles/:slug/:lang/unpublish").handler(ctx -> editor(ctx, this::unpublish));
    router.post("/admin/articles/:slug/:lang/restore").handler(ctx -> editor(ctx, this::restore));
    router.get("/admin/articles/:slug/:lang/diff").handler(ctx -> editor(ctx, this::diff));
    router.get("/admin/gaps").handler(ctx -> editor(ctx, this::gapList));
    router.post("/admin/gaps").handler(ctx -> editor(ctx, this::gapAction));
    router.get("/admin/concepts").handler(ctx -> editor(ctx, this::concepts));
    router.post("/admin/concepts").handler(ctx -> editor(ctx, this::saveConcepts));
    router.get("/admin/regressions").handler(ctx -> editor(ctx, this::regressions));
    router.post("/admin/regressions").handler(ctx -> editor(ctx, this::regressionAction));
  }

  private void editor(RoutingContext ctx, BiConsumer<RoutingContext, Access.Scoped> handler) {
    Access.scoped(ctx, defaultTenant, Role.EDITOR).ifPresent(caller -> handler.accept(ctx, caller));
  }

  private void list(RoutingContext ctx, Access.Scoped c) {
    MultiMap q = ctx.queryParams();
    Optional<Language> lang = language(q.get("lang"));
    Articles.Filter filter = new Articles.Filter(lang, opt(q.get("q")), opt(q.get("area")),
        opt(q.get("status")).filter(s -> s.matches("published|draft|unpublished")), q.get("missing") != null);
    articles.list(c.tenant(), filter).compose(rows -> articles.areas(c.tenant()).map(areas -> {
      Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "articles.title", "articles");
      m.put("rows", rows.stream().map(r -> Map.of("slug", r.latest().slug(), "lang", r.latest().lang().code(),
          "title", r.latest().content().title(), "area", r.latest().content().area(), "status", r.status(),
          "changed", r.changedAt().toString().substring(0, 10), "author", r.latest().author())).toList());
      m.put("areas", areas);
      m.put("f", Map.of("q", q.get("q") == null ? "" : q.get("q"), "lang", lang.map(Language::code).orElse(""),
          "area", opt(q.get("area")).orElse(""), "status", filter.status().orElse(""),
          "missing", filter.missingTranslation()));
      return m;
    })).onSuccess(m -> pages.render(ctx, Pages.partial(ctx) ? "article-rows" : "articles", m)).onFailure(ctx::fail);
  }

  private void newArticle(RoutingContext ctx, Access.Scoped c) {
    Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "articles.new", "articles");
    m.put("lang", pages.lang(ctx).code());
    m.put("question", opt(ctx.queryParams().get("question")).orElse(""));
    m.put("articleLang", language(ctx.queryParams().get("lang")).orElse(pages.lang(ctx)).code());
    pages.render(ctx, "article-new", m);
  }

  private void create(RoutingContext ctx, Access.Scoped c) {
    String slug = opt(ctx.request().getFormAttribute("slug")).orElse("");
    Language lang = language(ctx.request().getFormAttribute("articleLang")).orElse(Language.DA);
    if (!ArticleContent.SLUG.matcher(slug).matches()) {
      ctx.fail(400, new IllegalArgumentException("The id must be lowercase letters, digits and hyphens."));
      return;
    }
    String question = opt(ctx.request().getFormAttribute("question")).orElse("");
    ctx.redirect("/admin/articles/" + slug + "?new=" + lang.code()
        + (question.isEmpty() ? "" : "&question=" + java.net.URLEncoder.encode(question,
        java.nio.charset.StandardCharsets.UTF_8)));
  }

  private void article(RoutingContext ctx, Access.Scoped c) {
    String slug = ctx.pathParam("slug");
    if (!ArticleContent.SLUG.matcher(slug).matches()) {
      ctx.fail(404, new Access.NotFound("There is no such article."));
      return;
    }
    Future<List<Article>> da = articles.revisions(c.tenant(), slug, Language.DA);
    Future<List<Article>> en = articles.revisions(c.tenant(), slug, Language.EN);
    Future.all(da, en).onSuccess(v -> {
      boolean isNew = ctx.queryParams().get("new") != null;
      if (da.result().isEmpty() && en.result().isEmpty() && !isNew) {
        ctx.fail(404, new Access.NotFound("There is no such article."));
        return;
      }
      Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "article.title", "articles");
      List<Map<String, Object>> versions = new ArrayList<>();
      String question = opt(ctx.queryParams().get("question")).orElse("");
      for (Language lang : Language.values()) {
        List<Article> all = lang == Language.DA ? da.result() : en.result();
        versions.add(version(lang, all, ctx.queryParams().get("new") != null
            && lang.code().equals(ctx.queryParams().get("new")) ? question : ""));
      }
      m.put("slug", slug);
      m.put("versions", versions);
      m.put("heading", versions.stream().filter(x -> x.get("exists").equals(true)).map(x -> (String) x.get("title"))
          .findFirst().orElse(slug));
      pages.render(ctx, "article", m);
    }).onFailure(ctx::fail);
  }

  private Map<String, Object> version(Language lang, List<Article> all, String question) {
    Map<String, Object> v = new HashMap<>();
    v.put("lang", lang.code());
    v.put("exists", !all.isEmpty());
    if (all.isEmpty()) {
      v.put("title", "");
      v.put("fields", Map.of("title", "", "area", "", "questions", question, "keywords", "", "answer", "",
          "spoken", "", "source_url", "", "valid_from", "", "valid_until", "", "not_covered", ""));
      v.put("preview", "");
      v.put("spokenSeconds", 0.0);
      v.put("history", List.of());
      return v;
    }
    Article current = all.get(all.size() - 1);
    ArticleContent a = current.content();
    Optional<Article> published = all.stream().filter(r -> r.status() == Article.Status.PUBLISHED).findFirst();
    v.put("title", a.title());
    v.put("revision", current.revision());
    v.put("status", published.isEmpty() ? "unpublished" : published.get().revision() == current.revision()
        ? "published" : "draft");
    v.put("published", published.map(Article::revision).orElse(0));
    v.put("fields", fields(a));
    v.put("preview", markdown.toSafeHtml(a.answer()));
    v.put("spokenSeconds", ArticleJson.spokenSeconds(a.spoken()));
    List<Map<String, Object>> history = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0; i--) {
      Article r = all.get(i);
      history.add(Map.of("revision", r.revision(), "author", r.author(),
          "at", r.createdAt().toString().replace('T', ' ').substring(0, 16),
          "published", r.status() == Article.Status.PUBLISHED, "current", r.revision() == current.revision()));
    }
    v.put("history", history);
    return v;
  }

  private static Map<String, Object> fields(ArticleContent a) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("title", a.title());
    f.put("area", a.area());
    f.put("questions", String.join("\n", a.questions()));
    f.put("keywords", String.join(", ", a.keywords()));
    f.put("answer", a.answer());
    f.put("spoken", a.spoken());
    f.put("source_url", a.sourceUrl());
    f.put("valid_from", a.validFrom() == null ? "" : a.validFrom().toString());
    f.put("valid_until", a.validUntil() == null ? "" : a.validUntil().toString());
    StringBuilder nc = new StringBuilder();
    for (NotCovered n : a.notCovered()) {
      nc.append(n.topic()).append(" | ").append(n.refer()).append(" | ").append(String.join("; ", n.questions()))
          .append('\n');
    }
    f.put("not_covered", nc.toString().strip());
    return f;
  }

  /** The form's fields as the API's JSON, so both are validated by the same code. */
  static JsonObject formJson(MultiMap form) {
    JsonObject json = new JsonObject();
    for (String field : List.of("title", "area", "answer", "spoken", "source_url", "valid_from", "valid_until")) {
      json.put(field, Optional.ofNullable(form.get(field)).orElse(""));
    }
    json.put("questions", new JsonArray(lines(form.get("questions"))));
    json.put("keywords", new JsonArray(Arrays.stream(Optional.ofNullable(form.get("keywords")).orElse("").split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).toList()));
    JsonArray notCovered = new JsonArray();
    for (String line : lines(form.get("not_covered"))) {
      String[] parts = line.split("\\|", 3);
      notCovered.add(new JsonObject().put("topic", parts[0].strip())
          .put("refer", parts.length > 1 ? parts[1].strip() : "")
          .put("questions", new JsonArray(parts.length > 2 ? Arrays.stream(parts[2].split(";")).map(String::strip)
              .filter(s -> !s.isEmpty()).toList() : List.of())));
    }
    json.put("not_covered", notCovered);
    return json;
  }

  private static List<String> lines(String text) {
    return text == null ? List.of() : Arrays.stream(text.split("\\R")).map(String::strip).filter(s -> !s.isEmpty())
        .toList();
  }

  private void save(RoutingContext ctx, Access.Scoped c) {
    String slug = ctx.pathParam("slug");
    Optional<Language> lang = language(ctx.pathParam("lang"));
    if (lang.isEmpty() || !ArticleContent.SLUG.matcher(slug).matches()) {
      ctx.fail(404, new Access.NotFound("There is no such article."));
      return;
    }
    Language ui = pages.lang(ctx);
    ArticleContent content;
    try {
      content = ArticleJson.read(slug, lang.get(), formJson(ctx.request().formAttributes()));
    } catch (ArticleJson.FieldException e) {
      ctx.fail(400, new IllegalArgumentException(e.getMessage()));
      return;
    }
    boolean publish = "publish".equals(ctx.request().getFormAttribute("do"));
    articles.saveDraft(c.who(), c.tenant(), content).onSuccess(saved -> {
      if (publish) {
        publishChecked(ctx, c, slug, lang.get(), saved.revision(), false);
      } else {
        pages.notice(ctx, pages.text().get(ui, "article.saved", saved.revision()));
        ctx.redirect("/admin/articles/" + slug + "#" + lang.get().code());
      }
    }).onFailure(ctx::fail);
  }

  /** Publishes a revision from the check page ({@code confirm}) or the article page (checked first). */
  private void publish(RoutingContext ctx, Access.Scoped c) {
    String slug = ctx.pathParam("slug");
    Optional<Language> lang = language(ctx.pathParam("lang"));
    Optional<Integer> revision = opt(ctx.request().getFormAttribute("revision")).filter(r -> r.matches("[0-9]{1,9}"))
        .map(Integer::parseInt);
    if (lang.isEmpty() || !ArticleContent.SLUG.matcher(slug).matches()) {
      ctx.fail(404, new Access.NotFound("There is no such article."));
      return;
    }
    if (revision.isEmpty()) {
      ctx.fail(400, new IllegalArgumentException("Choose the revision to publish."));
      return;
    }
    publishChecked(ctx, c, slug, lang.get(), revision.get(), "1".equals(ctx.request().getFormAttribute("confirm")));
  }

  /**
   * Replays the regression cases against the knowledge base with the revision published; when an answer would
   * change or differs from what a case expects (and the editor has not confirmed), shows the differences instead of
   * publishing. Otherwise publishes, and says how many cases were checked.
   */
  private void publishChecked(RoutingContext ctx, Access.Scoped c, String slug, Language lang, int revision,
                              boolean confirmed) {
    Language ui = pages.lang(ctx);
    Future<RegressionCases.Check> check = confirmed ? Future.succeededFuture(null)
        : cases.beforePublish(c.tenant(), slug, lang, Optional.of(revision));
    check.onSuccess(result -> {
      if (result != null && !result.clean()) {
        Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "check.title", "articles");
        m.put("slug", slug);
        m.put("articleLang", lang.code());
        m.put("revision", revision);
        m.put("checked", result.results().size());
        m.put("results", checkRows(result.affected()));
        pages.render(ctx, "publish-check", m);
        return;
      }
      articles.publish(c.who(), c.tenant(), slug, lang, Optional.of(revision)).onSuccess(a -> {
        String published = pages.text().get(ui, "article.published", a.revision());
        pages.notice(ctx, result == null ? published
            : published + " " + pages.text().get(ui, "check.clean", result.results().size()));
        ctx.redirect("/admin/articles/" + slug + "#" + lang.code());
      }).onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }

  private static List<Map<String, Object>> checkRows(List<RegressionCases.CaseResult> results) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RegressionCases.CaseResult r : results) {
      List<Map<String, Object>> turns = new ArrayList<>();
      for (RegressionCases.TurnResult t : r.turns()) {
        turns.add(Map.of("text", t.text(), "expected", t.expected().toString(), "now", t.now().toString(),
            "after", t.after().toString(), "changes", t.changes(), "fails", t.fails()));
      }
      rows.add(Map.of("id", r.regressionCase().id().toString(), "name", r.regressionCase().name(),
          "lang", r.regressionCase().lang().code(), "turns", turns, "fails", r.fails()));
    }
    return rows;
  }

  private void regressions(RoutingContext ctx, Access.Scoped c) {
    cases.list(c.tenant(), Optional.empty()).onSuccess(all -> {
      Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "regressions.title", "regressions");
      List<Map<String, Object>> rows = new ArrayList<>();
      for (RegressionCases.Case rc : all) {
        rows.add(Map.of("id", rc.id().toString(), "name", rc.name(), "lang", rc.lang().code(),
            "channel", rc.channel(), "by", rc.createdBy(),
            "at", rc.createdAt().toString().replace('T', ' ').substring(0, 16),
            "turns", rc.turns().stream().map(t -> Map.of("text", t.text(), "expected", t.expected().toString()))
                .toList()));
      }
      m.put("cases", rows);
      pages.render(ctx, "regressions", m);
    }).onFailure(ctx::fail);
  }

  /** {@code do=run}: every case replayed now, the results shown; {@code do=delete&id=}: a case removed. */
  private void regressionAction(RoutingContext ctx, Access.Scoped c) {
    Language ui = pages.lang(ctx);
    String action = opt(ctx.request().getFormAttribute("do")).orElse("");
    if (action.equals("delete")) {
      java.util.UUID id;
      try {
        id = java.util.UUID.fromString(opt(ctx.request().getFormAttribute("id")).orElse(""));
      } catch (IllegalArgumentException e) {
        ctx.fail(404, new Access.NotFound("There is no such regression case."));
        return;
      }
      cases.delete(c.who(), c.tenant(), id).onSuccess(deleted -> {
        pages.notice(ctx, pages.text().get(ui, deleted ? "regressions.deleted" : "regressions.gone"));
        ctx.redirect("/admin/regressions");
      }).onFailure(ctx::fail);
      return;
    }
    if (!action.equals("run")) {
      ctx.fail(400, new IllegalArgumentException("Choose run or delete."));
      return;
    }
    cases.run(c.tenant()).onSuccess(result -> {
      Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "regressions.title", "regressions");
      m.put("checked", result.results().size());
      m.put("failing", result.results().stream().filter(RegressionCases.CaseResult::fails).count());
      m.put("results", checkRows(result.results()));
      pages.render(ctx, "regressions-run", m);
    }).onFailure(ctx::fail);
  }

  private void unpublish(RoutingContext ctx, Access.Scoped c) {
    String slug = ctx.pathParam("slug");
    Optional<Language> lang = language(ctx.pathParam("lang"));
    if (lang.isEmpty()) {
      ctx.fail(404, new Access.NotFound("There is no such article."));
      return;
    }
    articles.unpublish(c.who(), c.tenant(), slug, lang.get()).onSuccess(changed -> {
      pages.notice(ctx, pages.text().get(pages.lang(ctx), "article.unpublished"));
      ctx.redirect("/admin/articles/" + slug);
    }).onFailure(ctx::fail);
  }

  private void restore(RoutingContext ctx, Access.Scoped c) {
    String slug = ctx.pathParam("slug");
    Optional<Language> lang = language(ctx.pathParam("lang"));
    int n;
    try {
      n = Integer.parseInt(Optional.ofNullable(ctx.request().getFormAttribute("revision")).orElse(""));
    } catch (NumberFormatException e) {
      ctx.fail(400, new IllegalArgumentException("Choose a revision to restore."));
      return;
    }
    if (lang.isEmpty()) {
      ctx.fail(404, new Access.NotFound("There is no such article."));
      return;
    }
    // saved as a new revision; when the article is published, that revision is published after the check
    articles.revisions(c.tenant(), slug, lang.get()).compose(all -> {
      boolean published = all.stream().anyMatch(a -> a.status() == Article.Status.PUBLISHED);
      return articles.restore(c.who(), c.tenant(), slug, lang.get(), n, false).onSuccess(restored -> {
        if (published) {
          publishChecked(ctx, c, slug, lang.get(), restored.revision(), false);
          return;
        }
        pages.notice(ctx, pages.text().get(pages.lang(ctx), "article.restored", n, restored.revision()));
        ctx.redirect("/admin/articles/" + slug + "#" + lang.get().code());
      });
    }).onFailure(ctx::fail);
  }

  private void diff(RoutingContext ctx, Access.Scoped c) {
    String slug = ctx.pathParam("slug");
    Optional<Language> lang = language(ctx.pathParam("lang"));
    if (lang.isEmpty()) {
      ctx.fail(404, new Access.NotFound("There is no such article."));
      return;
    }
    articles.revisions(c.tenant(), slug, lang.get()).onSuccess(all -> {
      Optional<Article> from = revision(all, ctx.queryParams().get("from"));
      Optional<Article> to = revision(all, ctx.queryParams().get("to"));
      if (from.isEmpty() || to.isEmpty()) {
        ctx.fail(404, new Access.NotFound("There is no such revision."));
        return;
      }
      Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "diff.title", "articles");
      m.put("slug", slug);
      m.put("articleLang", lang.get().code());
      m.put("from", from.get().revision());
      m.put("to", to.get().revision());
      m.put("fields", Articles.diff(from.get(), to.get()).stream().map(f -> Map.of("field", f.field(),
          "lines", f.lines().stream().map(l -> Map.of("tag", l.tag(), "before", DiffHtml.of(l.before()),
              "after", DiffHtml.of(l.after()))).toList())).toList());
      pages.render(ctx, "diff", m);
    }).onFailure(ctx::fail);
  }

  private static Optional<Article> revision(List<Article> all, String n) {
    return all.stream().filter(a -> String.valueOf(a.revision()).equals(n)).findFirst();
  }

  /** The answer rendered exactly as the widget renders it (the same sanitizer), for the live preview. */
  private void preview(RoutingContext ctx, Access.Scoped c) {
    String answer = Optional.ofNullable(ctx.request().getFormAttribute("answer")).orElse("");
    ctx.response().putHeader("content-type", "text/html; charset=utf-8").putHeader("cache-control", "no-store")
        .end(markdown.toSafeHtml(answer.length() > ArticleContent.MAX_TEXT ? answer.substring(0,
            ArticleContent.MAX_TEXT) : answer));
  }

  private void gapList(RoutingContext ctx, Access.Scoped c) {
    MultiMap q = ctx.queryParams();
    Optional<LocalDate[]> period = Access.period(ctx);
    if (period.isEmpty()) {
      return;
    }
    LocalDate from = period.get()[0];
    LocalDate to = period.get()[1];
    Optional<Language> lang = language(q.get("lang"));
    gaps.groups(c.tenant(), from, to, lang).compose(groups -> kb.store().list(c.tenant()).map(entries -> {
      Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "gaps.title", "gaps");
      m.put("from", from.toString());
      m.put("to", to.toString());
      m.put("gapLang", lang.map(Language::code).orElse(""));
      Map<Language, List<Map<String, String>>> choices = new EnumMap<>(Language.class);
      for (Language l : Language.values()) {
        choices.put(l, entries.stream().filter(e -> e.latest().lang() == l)
            .map(e -> Map.of("slug", e.latest().slug(), "title", e.latest().content().title())).toList());
      }
      List<Map<String, Object>> list = new ArrayList<>();
      int i = 0;
      for (ContentGaps.Group g : groups) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", i++);
        row.put("label", g.label());
        row.put("lang", g.lang().code());
        row.put("count", g.count());
        row.put("examples", g.examples());
        row.put("nearest", g.nearestArticle().orElse(""));
        row.put("reasons", g.reasons().entrySet().stream().map(e -> Map.of("key",
            "gaps_reason_" + e.getKey().name().toLowerCase(java.util.Locale.ROOT), "n", e.getValue())).toList());
        row.put("articles", choices.get(g.lang()));
        list.add(row);
      }
      m.put("groups", list);
      return m;
    })).onSuccess(m -> pages.render(ctx, "gaps", m)).onFailure(ctx::fail);
  }

  /** One form per group: the question chosen, the article, and what to do; every example leaves the list. */
  private void gapAction(RoutingContext ctx, Access.Scoped c) {
    MultiMap form = ctx.request().formAttributes();
    Optional<Language> lang = language(form.get("gapLang"));
    String question = opt(form.get("question")).orElse("");
    List<String> examples = form.getAll("example");
    ContentGaps.Action action;
    try {
      action = ContentGaps.Action.parse(Optional.ofNullable(form.get("do")).orElse(""));
    } catch (IllegalArgumentException e) {
      ctx.fail(400, e);
      return;
    }
    Optional<String> slug = opt(form.get("slug")).filter(s -> ArticleContent.SLUG.matcher(s).matches());
    if (lang.isEmpty() || question.isEmpty() || (action != ContentGaps.Action.IGNORED && slug.isEmpty())) {
      ctx.fail(400, new IllegalArgumentException("Choose a question and an article."));
      return;
    }
    Language ui = pages.lang(ctx);
    if (action == ContentGaps.Action.NEW_ARTICLE) {
      ctx.redirect("/admin/articles/new?lang=" + lang.get().code() + "&question="
          + java.net.URLEncoder.encode(question, java.nio.charset.StandardCharsets.UTF_8));
      return;
    }
    Future<?> done = gaps.close(c.who(), c.tenant(), question, lang.get(), action, slug);
    for (String other : examples) {
      if (!other.equals(question) && !other.isBlank()) {
        done = done.compose(v -> gaps.close(c.who(), c.tenant(), other, lang.get(),
            action == ContentGaps.Action.IGNORED ? ContentGaps.Action.IGNORED : ContentGaps.Action.LINKED, slug));
      }
    }
    done.onSuccess(result -> {
      pages.notice(ctx, switch (action) {
        case PHRASING -> pages.text().get(ui, "gaps.done.phrasing", slug.get());
        case LINKED -> pages.text().get(ui, "gaps.done.linked", slug.get());
        default -> pages.text().get(ui, "gaps.done.ignored");
      });
      ctx.redirect("/admin/gaps?from=" + opt(form.get("from")).orElse("") + "&to=" + opt(form.get("to")).orElse(""));
    }).onFailure(ctx::fail);
  }

  private void concepts(RoutingContext ctx, Access.Scoped c) {
    kb.store().concepts(c.tenant()).onSuccess(list -> {
      Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "concepts.title", "concepts");
      StringBuilder text = new StringBuilder();
      for (Concept concept : list) {
        text.append(concept.area()).append(" | ").append(String.join(", ", concept.terms(Language.DA)))
            .append(" | ").append(String.join(", ", concept.terms(Language.EN))).append('\n');
      }
      m.put("concepts", text.toString());
      pages.render(ctx, "concepts", m);
    }).onFailure(ctx::fail);
  }

  private void saveConcepts(RoutingContext ctx, Access.Scoped c) {
    List<Concept> concepts = new ArrayList<>();
    try {
      for (String line : lines(ctx.request().getFormAttribute("concepts"))) {
        String[] parts = line.split("\\|", -1);
        if (parts.length != 3) {
          throw new IllegalArgumentException("Each line is: area | Danish terms | English terms. Not: '" + line + "'");
        }
        Map<Language, List<String>> terms = new EnumMap<>(Language.class);
        terms.put(Language.DA, Arrays.stream(parts[1].split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
        terms.put(Language.EN, Arrays.stream(parts[2].split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
        concepts.add(new Concept(parts[0], terms));
      }
    } catch (IllegalArgumentException e) {
      ctx.fail(400, e);
      return;
    }
    Language ui = pages.lang(ctx);
    kb.saveConcepts(c.tenant(), concepts)
        .compose(changed -> !changed ? Future.succeededFuture(false)
            : audit.record(Optional.of(c.tenant()), c.who().actor(), "concepts.save", "", new JsonObject()
                .put("groups", concepts.size())).map(true))
        .onSuccess(changed -> {
          pages.notice(ctx, pages.text().get(ui, changed ? "concepts.saved" : "concepts.unchanged"));
          ctx.redirect("/admin/concepts");
        }).onFailure(ctx::fail);
  }

  private static Optional<String> opt(String value) {
    return Optional.ofNullable(value).map(String::strip).filter(s -> !s.isEmpty());
  }

  private static Optional<Language> language(String code) {
    return "da".equals(code) ? Optional.of(Language.DA) : "en".equals(code) ? Optional.of(Language.EN)
        : Optional.empty();
  }
}
