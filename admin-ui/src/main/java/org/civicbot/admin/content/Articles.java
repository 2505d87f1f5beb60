package org.civicbot.admin.content;

import com.github.difflib.text.DiffRow;
import com.github.difflib.text.DiffRowGenerator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.staff.StaffPrincipal;
import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.store.ArticleStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What editors do to articles, for the API and the pages alike: list and filter, save a draft, publish (the index is
 * current before it completes), unpublish, restore an old revision, add a citizen's question as a phrasing, and the
 * difference between two revisions. Every change is audited.
 */
public final class Articles {

  private final KnowledgeBase kb;
  private final AuditLog audit;

  public Articles(KnowledgeBase kb, AuditLog audit) {
    this.kb = kb;
    this.audit = audit;
  }

  /** Filters of the editors' list; empty ones match everything. */
  public record Filter(Optional<Language> lang, Optional<String> query, Optional<String> area,
                       Optional<String> status, boolean missingTranslation) {
    public static Filter none() {
      return new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);
    }
  }

  /** One row of the list: an article in one language, and whether the other language exists. */
  public record Row(ArticleStore.ArticleEntry entry, boolean translated) {
    public Article latest() {
      return entry.latest();
    }

    /** {@code published}, {@code draft} (published, with newer unpublished changes) or {@code unpublished}. */
    public String status() {
      return !entry.published() ? "unpublished" : entry.hasDraft() ? "draft" : "published";
    }

    public Instant changedAt() {
      return entry.latest().createdAt();
    }

    public JsonObject toJson() {
      Article a = entry.latest();
      return new JsonObject().put("slug", a.slug()).put("lang", a.lang().code()).put("title", a.content().title())
          .put("area", a.content().area()).put("revision", a.revision())
          .put("publishedRevision", entry.publishedRevision().orElse(null)).put("status", status())
          .put("changedAt", a.createdAt().toString()).put("author", a.author()).put("translated", translated);
    }
  }

  public Future<List<Row>> list(String tenant, Filter filter) {
    return kb.store().list(tenant).map(entries -> {
      Map<String, Integer> languages = new LinkedHashMap<>();
      entries.forEach(e -> languages.merge(e.latest().slug(), 1, Integer::sum));
      String q = filter.query().map(s -> s.strip().toLowerCase(Locale.ROOT)).orElse("");
      return entries.stream()
          .map(e -> new Row(e, languages.get(e.latest().slug()) > 1))
          .filter(r -> filter.lang().map(l -> l == r.latest().lang()).orElse(true))
          .filter(r -> filter.area().map(a -> a.equalsIgnoreCase(r.latest().content().area())).orElse(true))
          .filter(r -> filter.status().map(s -> s.equals(r.status())).orElse(true))
          .filter(r -> !filter.missingTranslation() || !r.translated())
          .filter(r -> q.isEmpty() || matches(r.latest().content(), q))
          .toList();
    });
  }

  private static boolean matches(ArticleContent c, String q) {
    return c.slug().contains(q) || c.title().toLowerCase(Locale.ROOT).contains(q)
        || c.questions().stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).contains(q))
        || c.keywords().stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).contains(q))
        || c.answer().toLowerCase(Locale.ROOT).contains(q);
  }

  /** The areas in use, for the filter's choices. */
  public Future<List<String>> areas(String tenant) {
    return kb.store().list(tenant).map(entries -> entries.stream().map(e -> e.latest().content().area()).distinct()
        .sorted().toList());
  }

  public Future<List<Article>> revisions(String tenant, String slug, Language lang) {
    return kb.store().revisions(tenant, slug, lang);
  }

  public Future<Optional<Article>> latest(String tenant, String slug, Language lang) {
    return kb.store().latest(tenant, slug, lang);
  }

  public Future<Article> saveDraft(StaffPrincipal who, String tenant, ArticleContent content) {
    return kb.store().saveRevision(tenant, content, who.actor())
        .compose(a -> audit.record(Optional.of(tenant), who.actor(), "article.save", target(a),
            new JsonObject().put("revision", a.revision())).map(a));
  }

  /** Publishes {@code revision}, or the latest when empty. */
  public Future<Article> publish(StaffPrincipal who, String tenant, String slug, Language lang,
                                 Optional<Integer> revision) {
    return latestOrFail(tenant, slug, lang)
        .compose(latest -> kb.publish(tenant, slug, lang, revision.orElse(latest.revision())))
        .compose(a -> audit.record(Optional.of(tenant), who.actor(), "article.publish", target(a),
            new JsonObject().put("revision", a.revision())).map(a));
  }

  public Future<Boolean> unpublish(StaffPrincipal who, String tenant, String slug, Language lang) {
    return latestOrFail(tenant, slug, lang)
        .compose(latest -> kb.unpublish(tenant, slug, lang))
        .compose(changed -> audit.record(Optional.of(tenant), who.actor(), "article.unpublish",
            slug + "/" + lang.code(), new JsonObject()).map(changed));
  }

  /**
   * Saves revision {@code n}'s content as a new revision and, when the article is published, publishes it: a
   * restore is how an editor rolls back, and a rollback that citizens do not see would be a trap.
   */
  public Future<Article> restore(StaffPrincipal who, String tenant, String slug, Language lang, int n,
                                 boolean publish) {
    return kb.store().revisions(tenant, slug, lang).compose(all -> {
      Optional<Article> old = all.stream().filter(a -> a.revision() == n).findFirst();
      if (old.isEmpty()) {
        return Future.failedFuture(new NoSuchArticle("There is no revision " + n + " of " + slug + " (" + lang.code()
            + ")."));
      }
      boolean published = all.stream().anyMatch(a -> a.status() == Article.Status.PUBLISHED);
      return kb.store().saveRevision(tenant, old.get().content(), who.actor())
          .compose(saved -> audit.record(Optional.of(tenant), who.actor(), "article.restore", target(saved),
              new JsonObject().put("from", n).put("revision", saved.revision())).map(saved))
          .compose(saved -> publish && published ? publish(who, tenant, slug, lang, Optional.of(saved.revision()))
              : Future.succeededFuture(saved));
    });
  }

  /**
   * Adds {@code question} as a phrasing of the article. Without unpublished changes the new revision is published
   * at once (the bot answers the question from then on); with a draft pending it joins the draft, which the editor
   * publishes when it is ready. Completes with the new revision.
   */
  public Future<Article> addPhrasing(StaffPrincipal who, String tenant, String slug, Language lang, String question) {
    return kb.store().list(tenant).compose(entries -> {
      Optional<ArticleStore.ArticleEntry> entry = entries.stream()
          .filter(e -> e.latest().slug().equals(slug) && e.latest().lang() == lang).findFirst();
      if (entry.isEmpty()) {
        return Future.failedFuture(new NoSuchArticle("There is no article " + slug + " (" + lang.code() + ")."));
      }
      ArticleContent content = entry.get().latest().content();
      if (content.questions().stream().anyMatch(q -> q.equalsIgnoreCase(question.strip()))) {
        return Future.succeededFuture(entry.get().latest());
      }
      List<String> questions = new ArrayList<>(content.questions());
      questions.add(question.strip());
      boolean draftPending = entry.get().published() && entry.get().hasDraft();
      boolean publish = entry.get().published() && !draftPending;
      return saveDraft(who, tenant, content.toBuilder().questions(questions).build())
          .compose(saved -> publish ? publish(who, tenant, slug, lang, Optional.of(saved.revision()))
              : Future.succeededFuture(saved));
    });
  }

  /** Each field's lines side by side between two revisions: unchanged, changed, inserted, deleted. */
  public static List<FieldDiff> diff(Article from, Article to) {
    JsonObject a = ArticleJson.write(from.content());
    JsonObject b = ArticleJson.write(to.content());
    DiffRowGenerator generator = DiffRowGenerator.create().showInlineDiffs(true).inlineDiffByWord(true)
        .mergeOriginalRevised(false).lineNormalizer(line -> line).oldTag(open -> open ? "\u0001-" : "-\u0001")
        .newTag(open -> open ? "\u0001+" : "+\u0001").build();
    List<FieldDiff> fields = new ArrayList<>();
    for (String field : List.of("title", "area", "questions", "keywords", "answer", "spoken", "source_url",
        "valid_from", "valid_until", "not_covered")) {
      List<String> left = lines(a.getValue(field));
      List<String> right = lines(b.getValue(field));
      if (left.equals(right)) {
        continue;
      }
      List<DiffRow> rows = generator.generateDiffRows(left, right);
      fields.add(new FieldDiff(field, rows.stream().map(r -> new Line(r.getTag().name().toLowerCase(Locale.ROOT),
          r.getOldLine(), r.getNewLine())).toList()));
    }
    return fields;
  }

  /** One changed field; in a line's texts, \u0001-...-\u0001 marks removed and \u0001+...+\u0001 added words. */
  public record FieldDiff(String field, List<Line> lines) {
  }

  public record Line(String tag, String before, String after) {
  }

  private static List<String> lines(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof io.vertx.core.json.JsonArray array) {
      return array.stream().map(o -> o instanceof JsonObject j ? j.encode() : String.valueOf(o))
          .collect(Collectors.toList());
    }
    return List.of(String.valueOf(value).split("\n", -1));
  }

  private Future<Article> latestOrFail(String tenant, String slug, Language lang) {
    return kb.store().latest(tenant, slug, lang).compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new NoSuchArticle("There is no article " + slug + " (" + lang.code()
            + ")."))));
  }

  private static String target(Article a) {
    return a.slug() + "/" + a.lang().code();
  }

  /** The article or revision does not exist (in this tenant); answered 404. */
  public static final class NoSuchArticle extends IllegalArgumentException {
    public NoSuchArticle(String message) {
      super(message);
    }
  }
}
