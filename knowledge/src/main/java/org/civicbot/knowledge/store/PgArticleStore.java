package org.civicbot.knowledge.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Concept;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.NotCovered;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@link ArticleStore} on PostgreSQL through the Vert.x reactive client; every statement is parameterized. */
final class PgArticleStore implements ArticleStore {

  private static final String REVISION_COLUMNS =
      "r.tenant_id, r.slug, r.lang, r.revision, r.title, r.area, r.questions, r.keywords, r.answer, r.spoken,"
          + " r.source_url, r.valid_from, r.valid_until, r.not_covered, r.author, r.created_at, a.published_revision";

  private final Pool pool;

  PgArticleStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> ensureTenant(String tenantId, String name) {
    return pool.withTransaction(conn -> conn
        .preparedQuery("INSERT INTO tenants (tenant_id, name) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING")
        .execute(Tuple.of(tenantId, name))
        .compose(ignored -> conn.preparedQuery(
                "INSERT INTO knowledge_versions (tenant_id, lang) VALUES ($1, 'da'), ($1, 'en') ON CONFLICT DO NOTHING")
            .execute(Tuple.of(tenantId)))
        .mapEmpty());
  }

  @Override
  public Future<List<String>> tenants() {
    return pool.query("SELECT tenant_id FROM tenants ORDER BY tenant_id").execute()
        .map(rows -> {
          List<String> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getString(0)));
          return ids;
        });
  }

  @Override
  public Future<Article> saveRevision(String tenantId, ArticleContent content, String author) {
    return pool.withTransaction(conn -> conn
        .preparedQuery("SELECT latest_revision FROM articles WHERE tenant_id = $1 AND slug = $2 AND lang = $3"
            + " FOR UPDATE")
        .execute(Tuple.of(tenantId, content.slug(), content.lang().code()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return conn.preparedQuery("INSERT INTO articles (tenant_id, slug, lang, latest_revision)"
                    + " VALUES ($1, $2, $3, 1)")
                .execute(Tuple.of(tenantId, content.slug(), content.lang().code()))
                .compose(ignored -> insertRevision(conn, tenantId, content, 1, author));
          }
          int latest = rows.iterator().next().getInteger(0);
          return selectRevision(conn, tenantId, content.slug(), content.lang(), latest)
              .compose(current -> current.map(Article::content).filter(content::equals).isPresent()
                  ? Future.succeededFuture(current.get())
                  : conn.preparedQuery("UPDATE articles SET latest_revision = $4"
                          + " WHERE tenant_id = $1 AND slug = $2 AND lang = $3")
                      .execute(Tuple.of(tenantId, content.slug(), content.lang().code(), latest + 1))
                      .compose(ignored -> insertRevision(conn, tenantId, content, latest + 1, author)));
        }));
  }

  private Future<Article> insertRevision(SqlConnection conn, String tenantId, ArticleContent c, int revision,
                                         String author) {
    Tuple values = Tuple.tuple()
        .addString(tenantId).addString(c.slug()).addString(c.lang().code()).addInteger(revision)
        .addString(c.title()).addString(c.area())
        .addArrayOfString(c.questions().toArray(String[]::new))
        .addArrayOfString(c.keywords().toArray(String[]::new))
        .addString(c.answer()).addString(c.spoken()).addString(c.sourceUrl())
        .addLocalDate(c.validFrom()).addLocalDate(c.validUntil()).addString(author)
        .addValue(notCoveredJson(c.notCovered()));
    return conn.preparedQuery("INSERT INTO article_revisions (tenant_id, slug, lang, revision, title, area, questions,"
            + " keywords, answer, spoken, source_url, valid_from, valid_until, author, not_covered)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
        .execute(values)
        .compose(ignored -> selectRevision(conn, tenantId, c.slug(), c.lang(), revision))
        .map(Optional::orElseThrow);
  }

  @Override
  public Future<Article> publish(String tenantId, String slug, Language lang, int revision) {
    return pool.withTransaction(conn -> conn
        .preparedQuery("UPDATE articles SET published_revision = $4 WHERE tenant_id = $1 AND slug = $2 AND lang = $3"
            + " AND $4 BETWEEN 1 AND latest_revision")
        .execute(Tuple.of(tenantId, slug, lang.code(), revision))
        .compose(updated -> {
          if (updated.rowCount() == 0) {
            return Future.failedFuture(new IllegalArgumentException(
                "no revision " + revision + " of article '" + slug + "' (" + lang.code() + ") in tenant '"
                    + tenantId + "'"));
          }
          return conn.preparedQuery("UPDATE knowledge_versions SET version = version + 1"
                  + " WHERE tenant_id = $1 AND lang = $2")
              .execute(Tuple.of(tenantId, lang.code()));
        })
        .compose(ignored -> selectRevision(conn, tenantId, slug, lang, revision))
        .map(Optional::orElseThrow));
  }

  @Override
  public Future<Boolean> unpublish(String tenantId, String slug, Language lang) {
    return pool.withTransaction(conn -> conn
        .preparedQuery("UPDATE articles SET published_revision = NULL WHERE tenant_id = $1 AND slug = $2 AND lang = $3"
            + " AND published_revision IS NOT NULL")
        .execute(Tuple.of(tenantId, slug, lang.code()))
        .compose(updated -> updated.rowCount() == 0 ? Future.succeededFuture(false)
            : conn.preparedQuery("UPDATE knowledge_versions SET version = version + 1 WHERE tenant_id = $1 AND lang = $2")
                .execute(Tuple.of(tenantId, lang.code())).map(true)));
  }

  @Override
  public Future<List<ArticleEntry>> list(String tenantId) {
    return pool.preparedQuery("SELECT " + REVISION_COLUMNS + " FROM articles a JOIN article_revisions r"
            + " USING (tenant_id, slug, lang) WHERE a.tenant_id = $1 AND r.revision = a.latest_revision"
            + " ORDER BY a.slug, a.lang")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          List<ArticleEntry> entries = new ArrayList<>();
          rows.forEach(row -> entries.add(new ArticleEntry(toArticle(row),
              Optional.ofNullable(row.getInteger("published_revision")))));
          return entries;
        });
  }

  @Override
  public Future<Optional<Article>> latest(String tenantId, String slug, Language lang) {
    return pool.preparedQuery("SELECT " + REVISION_COLUMNS + " FROM articles a JOIN article_revisions r"
            + " USING (tenant_id, slug, lang) WHERE a.tenant_id = $1 AND a.slug = $2 AND a.lang = $3"
            + " AND r.revision = a.latest_revision")
        .execute(Tuple.of(tenantId, slug, lang.code()))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toArticle(rows.iterator().next())));
  }

  @Override
  public Future<List<Article>> revisions(String tenantId, String slug, Language lang) {
    return pool.preparedQuery("SELECT " + REVISION_COLUMNS + " FROM articles a JOIN article_revisions r"
            + " USING (tenant_id, slug, lang) WHERE a.tenant_id = $1 AND a.slug = $2 AND a.lang = $3"
            + " ORDER BY r.revision")
        .execute(Tuple.of(tenantId, slug, lang.code()))
        .map(PgArticleStore::toArticles);
  }

  @Override
  public Future<List<Article>> published(String tenantId, Language lang) {
    return pool.preparedQuery("SELECT " + REVISION_COLUMNS + " FROM articles a JOIN article_revisions r"
            + " USING (tenant_id, slug, lang) WHERE a.tenant_id = $1 AND a.lang = $2"
            + " AND r.revision = a.published_revision ORDER BY a.slug")
        .execute(Tuple.of(tenantId, lang.code()))
        .map(PgArticleStore::toArticles);
  }

  @Override
  public Future<Long> countArticles(String tenantId) {
    return pool.preparedQuery("SELECT count(*) FROM articles WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  @Override
  public Future<Long> knowledgeVersion(String tenantId, Language lang) {
    return pool.preparedQuery("SELECT version FROM knowledge_versions WHERE tenant_id = $1 AND lang = $2")
        .execute(Tuple.of(tenantId, lang.code()))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
  }

  @Override
  public Future<List<Concept>> concepts(String tenantId) {
    return pool.preparedQuery("SELECT concepts FROM knowledge_concepts WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId))
        .map(rows -> rows.size() == 0 ? List.of() : conceptsOf(rows.iterator().next().getJsonArray(0)));
  }

  @Override
  public Future<Boolean> saveConcepts(String tenantId, List<Concept> concepts) {
    JsonArray json = conceptsJson(concepts);
    return pool.withTransaction(conn -> conn
        .preparedQuery("INSERT INTO knowledge_concepts (tenant_id, concepts) VALUES ($1, $2)"
            + " ON CONFLICT (tenant_id) DO UPDATE SET concepts = EXCLUDED.concepts, updated_at = now()"
            + " WHERE knowledge_concepts.concepts IS DISTINCT FROM EXCLUDED.concepts")
        .execute(Tuple.of(tenantId, json))
        .compose(inserted -> inserted.rowCount() == 0 ? Future.succeededFuture(false)
            : conn.preparedQuery("UPDATE knowledge_versions SET version = version + 1 WHERE tenant_id = $1")
                .execute(Tuple.of(tenantId)).map(true)));
  }

  private static JsonArray conceptsJson(List<Concept> concepts) {
    JsonArray json = new JsonArray();
    for (Concept c : concepts) {
      JsonObject o = new JsonObject().put("area", c.area());
      for (Language lang : Language.values()) {
        o.put(lang.code(), new JsonArray(c.terms(lang)));
      }
      json.add(o);
    }
    return json;
  }

  private static List<Concept> conceptsOf(JsonArray json) {
    List<Concept> concepts = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      JsonObject o = json.getJsonObject(i);
      java.util.Map<Language, List<String>> terms = new java.util.EnumMap<>(Language.class);
      for (Language lang : Language.values()) {
        List<String> list = new ArrayList<>();
        o.getJsonArray(lang.code(), new JsonArray()).forEach(t -> list.add(String.valueOf(t)));
        terms.put(lang, list);
      }
      concepts.add(new Concept(o.getString("area", ""), terms));
    }
    return concepts;
  }

  private Future<Optional<Article>> selectRevision(SqlConnection conn, String tenantId, String slug, Language lang,
                                                   int revision) {
    return conn.preparedQuery("SELECT " + REVISION_COLUMNS + " FROM articles a JOIN article_revisions r"
            + " USING (tenant_id, slug, lang) WHERE a.tenant_id = $1 AND a.slug = $2 AND a.lang = $3"
            + " AND r.revision = $4")
        .execute(Tuple.of(tenantId, slug, lang.code(), revision))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toArticle(rows.iterator().next())));
  }

  private static JsonArray notCoveredJson(List<NotCovered> entries) {
    JsonArray json = new JsonArray();
    entries.forEach(n -> json.add(new JsonObject().put("topic", n.topic()).put("refer", n.refer())
        .put("questions", new JsonArray(n.questions()))));
    return json;
  }

  private static List<NotCovered> notCovered(JsonArray json) {
    List<NotCovered> entries = new ArrayList<>();
    if (json != null) {
      for (int i = 0; i < json.size(); i++) {
        JsonObject n = json.getJsonObject(i);
        List<String> questions = new ArrayList<>();
        n.getJsonArray("questions").forEach(q -> questions.add(String.valueOf(q)));
        entries.add(new NotCovered(n.getString("topic"), n.getString("refer"), questions));
      }
    }
    return entries;
  }

  private static List<Article> toArticles(Iterable<Row> rows) {
    List<Article> articles = new ArrayList<>();
    rows.forEach(row -> articles.add(toArticle(row)));
    return articles;
  }

  private static Article toArticle(Row row) {
    ArticleContent content = ArticleContent.builder()
        .slug(row.getString("slug"))
        .lang(Language.fromCode(row.getString("lang")))
        .title(row.getString("title"))
        .area(row.getString("area"))
        .questions(Arrays.asList(row.getArrayOfStrings("questions")))
        .keywords(Arrays.asList(row.getArrayOfStrings("keywords")))
        .answer(row.getString("answer"))
        .spoken(row.getString("spoken"))
        .sourceUrl(row.getString("source_url"))
        .validFrom(row.getLocalDate("valid_from"))
        .validUntil(row.getLocalDate("valid_until"))
        .notCovered(notCovered(row.getJsonArray("not_covered")))
        .build();
    int revision = row.getInteger("revision");
    Integer published = row.getInteger("published_revision");
    return new Article(row.getString("tenant_id"), content, revision,
        published != null && published == revision ? Article.Status.PUBLISHED : Article.Status.DRAFT,
        row.getString("author"), row.getOffsetDateTime("created_at").toInstant());
  }
}
