package org.civicbot.admin.content;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.staff.StaffPrincipal;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.imports.ArticleArchive;
import org.civicbot.knowledge.imports.ArticleFile;
import org.civicbot.knowledge.imports.ArticleFolder;
import org.civicbot.knowledge.imports.ConceptFile;
import org.civicbot.knowledge.imports.KnowledgeImporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Imports of article files started from the staff app, and the export they round-trip with. An import runs in the
 * background on the replica that received it; its progress (files done of the total, then the index rebuild) and its
 * per-file report are kept in {@code import_jobs}, so the progress page can be served by any replica.
 */
public final class ImportJobs {
  private static final Logger LOG = LoggerFactory.getLogger(ImportJobs.class);
  /** An import still running after this long was cut off (its replica stopped): shown as failed. */
  static final Duration ABANDONED_AFTER = Duration.ofHours(1);

  private final Vertx vertx;
  private final Pool pool;
  private final KnowledgeBase kb;
  private final AuditLog audit;

  public ImportJobs(Vertx vertx, Pool pool, KnowledgeBase kb, AuditLog audit) {
    this.vertx = vertx;
    this.pool = pool;
    this.kb = kb;
    this.audit = audit;
  }

  /** An import's state: {@code importing}, {@code indexing}, {@code done} or {@code failed}. */
  public record Job(UUID id, String status, int done, int total, String source, String actor,
                    Optional<JsonObject> report, Instant startedAt) {
    public boolean finished() {
      return status.equals("done") || status.equals("failed");
    }

    public int percent() {
      if (status.equals("done")) {
        return 100;
      }
      // the index rebuild after the last file is the last tenth of the work
      return total == 0 ? 90 : (int) Math.round(90.0 * done / total);
    }

    public JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("status", status).put("done", done).put("total", total)
          .put("percent", percent()).put("source", source).put("actor", actor)
          .put("startedAt", startedAt.toString()).put("report", report.orElse(null));
    }
  }

  /** Starts importing {@code contents}; completes with the job's id once it is recorded, before the import ends. */
  public Future<UUID> start(StaffPrincipal who, String tenant, String source, ArticleFolder.Contents contents) {
    UUID id = UUID.randomUUID();
    int total = contents.entries().size();
    return pool.preparedQuery("INSERT INTO import_jobs (job_id, tenant_id, actor, source, status, total)"
            + " VALUES ($1, $2, $3, $4, 'importing', $5)")
        .execute(Tuple.of(id, tenant, who.actor(), source, total))
        .map(ignored -> {
          new KnowledgeImporter(kb).importContents(tenant, contents, who.actor(), (done, all) -> progress(id, done))
              .compose(report -> finish(id, "done", reportJson(report))
                  .compose(v -> audit.record(Optional.of(tenant), who.actor(), "knowledge.import", id.toString(),
                      new JsonObject().put("source", source).put("created", report.created())
                          .put("updated", report.updated()).put("published", report.published())
                          .put("problems", report.problems().size()))))
              .onFailure(e -> {
                LOG.error("Import {} for {} failed", id, tenant, e);
                finish(id, "failed", new JsonObject().put("error", String.valueOf(e.getMessage())));
              });
          return id;
        });
  }

  private void progress(UUID id, int done) {
    pool.preparedQuery("UPDATE import_jobs SET done = GREATEST(done, $2),"
            + " status = CASE WHEN $2 >= total AND status = 'importing' THEN 'indexing' ELSE status END"
            + " WHERE job_id = $1")
        .execute(Tuple.of(id, done))
        .onFailure(e -> LOG.warn("Import {}: progress not recorded: {}", id, e.getMessage()));
  }

  private Future<Void> finish(UUID id, String status, JsonObject report) {
    return pool.preparedQuery("UPDATE import_jobs SET status = $2, report = $3, finished_at = now(),"
            + " done = CASE WHEN $2 = 'done' THEN total ELSE done END WHERE job_id = $1")
        .execute(Tuple.of(id, status, report)).mapEmpty();
  }

  private static JsonObject reportJson(KnowledgeImporter.Report report) {
    JsonArray files = new JsonArray();
    report.files().forEach(f -> files.add(new JsonObject().put("file", f.file()).put("slug", f.slug())
        .put("lang", f.lang()).put("outcome", f.outcome()).put("published", f.published())
        .put("message", f.message())));
    return new JsonObject().put("created", report.created()).put("updated", report.updated())
        .put("unchanged", report.unchanged()).put("published", report.published())
        .put("problems", report.problems().size()).put("files", files);
  }

  /** The tenant's import {@code id}, if it has one by that id. */
  public Future<Optional<Job>> find(String tenant, UUID id) {
    return pool.preparedQuery("SELECT * FROM import_jobs WHERE tenant_id = $1 AND job_id = $2")
        .execute(Tuple.of(tenant, id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toJob(rows.iterator().next())));
  }

  /** The tenant's latest imports, newest first. */
  public Future<List<Job>> recent(String tenant, int limit) {
    return pool.preparedQuery("SELECT * FROM import_jobs WHERE tenant_id = $1 ORDER BY started_at DESC LIMIT $2")
        .execute(Tuple.of(tenant, limit))
        .map(rows -> {
          List<Job> jobs = new ArrayList<>();
          rows.forEach(r -> jobs.add(toJob(r)));
          return jobs;
        });
  }

  private static Job toJob(Row r) {
    String status = r.getString("status");
    Instant started = r.getOffsetDateTime("started_at").toInstant();
    Optional<JsonObject> report = Optional.ofNullable((JsonObject) r.getValue("report"));
    if ((status.equals("importing") || status.equals("indexing"))
        && started.isBefore(Instant.now().minus(ABANDONED_AFTER))) {
      status = "failed";
      report = Optional.of(new JsonObject().put("error", "the import stopped before it finished (its server"
          + " stopped); import the files again"));
    }
    return new Job(r.getUUID("job_id"), status, r.getInteger("done"), r.getInteger("total"), r.getString("source"),
        r.getString("actor"), report, started);
  }

  /**
   * The tenant's knowledge base as a zip archive in the import format: the latest revision of every article
   * ({@code da/slug.md}, {@code en/slug.md}; status published when that revision is the published one) and the
   * concept lists ({@code concepts.yaml}). Importing it into an empty tenant gives the same articles.
   */
  public Future<byte[]> export(StaffPrincipal who, String tenant) {
    return kb.store().list(tenant).compose(entries -> kb.store().concepts(tenant)
            .compose(concepts -> vertx.<byte[]>executeBlocking(() -> {
              List<ArticleFolder.SourceFile> files = new ArrayList<>();
              entries.forEach(e -> files.add(new ArticleFolder.SourceFile(e.latest().lang().code() + "/"
                  + e.latest().slug() + ".md", ArticleFile.format(e.latest().content(),
                  e.published() && !e.hasDraft()).getBytes(StandardCharsets.UTF_8))));
              if (!concepts.isEmpty()) {
                files.add(new ArticleFolder.SourceFile("concepts.yaml",
                    ConceptFile.format(concepts).getBytes(StandardCharsets.UTF_8)));
              }
              return ArticleArchive.write(files);
            }, false)))
        .compose(zip -> audit.record(Optional.of(tenant), who.actor(), "knowledge.export", tenant,
            new JsonObject().put("bytes", zip.length)).map(zip));
  }
}
