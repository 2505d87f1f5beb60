package org.civicbot.admin.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.Access;
import org.civicbot.admin.HttpJson;
import org.civicbot.admin.content.ImportJobs;
import org.civicbot.admin.staff.Role;
import org.civicbot.knowledge.imports.ArticleArchive;
import org.civicbot.knowledge.imports.ArticleFolder;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Import and export of article files (the format of {@code import DIR}): upload {@code .md} files, concept lists or
 * zip archives of a knowledge base folder; the import runs in the background while its page shows the progress
 * (refreshed by htmx) and then the report file by file. The export downloads the tenant's articles as a zip archive
 * that imports back to the same articles.
 */
public final class TransferPages {
  public static final String UPLOAD_PATH = "/admin/transfer/import";
  /** How many files one upload may carry. */
  static final int MAX_FILES = 2_000;

  private final Vertx vertx;
  private final Pages pages;
  private final ImportJobs jobs;
  private final String defaultTenant;

  public TransferPages(Vertx vertx, Pages pages, ImportJobs jobs, String defaultTenant) {
    this.vertx = vertx;
    this.pages = pages;
    this.jobs = jobs;
    this.defaultTenant = defaultTenant;
  }

  public void mount(Router router) {
    router.get("/admin/transfer").handler(ctx -> editor(ctx, this::page));
    router.post(UPLOAD_PATH).handler(ctx -> editor(ctx, this::upload));
    router.get("/admin/transfer/jobs/:id").handler(ctx -> editor(ctx, this::job));
    router.get("/admin/transfer/export.zip").handler(ctx -> editor(ctx, this::export));
    router.get("/api/v1/admin/imports/:id").handler(ctx -> editor(ctx, this::jobJson));
  }

  private void editor(RoutingContext ctx, BiConsumer<RoutingContext, Access.Scoped> handler) {
    Access.scoped(ctx, defaultTenant, Role.EDITOR).ifPresent(caller -> handler.accept(ctx, caller));
  }

  private void page(RoutingContext ctx, Access.Scoped c) {
    jobs.recent(c.tenant(), 10).onSuccess(recent -> {
      Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "transfer.title", "transfer");
      m.put("jobs", recent.stream().map(TransferPages::jobRow).toList());
      pages.render(ctx, "transfer", m);
    }).onFailure(ctx::fail);
  }

  /** The uploaded files read (zip archives unpacked) on a worker, then the import started; on to its page. */
  private void upload(RoutingContext ctx, Access.Scoped c) {
    List<FileUpload> uploads = ctx.fileUploads().stream().filter(u -> u.size() > 0).toList();
    if (uploads.isEmpty()) {
      ctx.fail(400, new IllegalArgumentException(pages.text().get(pages.lang(ctx), "transfer.noFiles")));
      return;
    }
    if (uploads.size() > MAX_FILES) {
      ctx.fail(400, new IllegalArgumentException("Upload at most " + MAX_FILES + " files at once."));
      return;
    }
    List<Future<Buffer>> reads = uploads.stream().map(u -> vertx.fileSystem().readFile(u.uploadedFileName()))
        .toList();
    Future.all(reads).compose(read -> vertx.<ArticleFolder.Contents>executeBlocking(() -> {
      List<ArticleFolder.SourceFile> files = new ArrayList<>();
      List<ArticleFolder.Problem> problems = new ArrayList<>();
      for (int i = 0; i < uploads.size(); i++) {
        String name = baseName(uploads.get(i).fileName());
        byte[] bytes = reads.get(i).result().getBytes();
        if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
          try {
            ArticleArchive.files(bytes, problems).forEach(f -> files.add(new ArticleFolder.SourceFile(
                name + "/" + f.name(), f.bytes())));
          } catch (IllegalArgumentException e) {
            problems.add(new ArticleFolder.Problem(name, e.getMessage()));
          }
        } else {
          files.add(new ArticleFolder.SourceFile(name, bytes));
        }
      }
      return ArticleFolder.of(files, problems);
    }, false)).compose(contents -> jobs.start(c.who(), c.tenant(), String.join(", ",
            uploads.stream().map(u -> baseName(u.fileName())).limit(5).toList())
            + (uploads.size() > 5 ? " (+" + (uploads.size() - 5) + ")" : ""), contents))
        .onSuccess(id -> ctx.redirect("/admin/transfer/jobs/" + id))
        .onFailure(ctx::fail);
  }

  /** A file's name without any folder a browser may send along with it. */
  private static String baseName(String fileName) {
    String name = fileName == null ? "" : fileName.replace('\\', '/');
    name = name.substring(name.lastIndexOf('/') + 1).strip();
    return name.isEmpty() ? "upload" : name;
  }

  private void job(RoutingContext ctx, Access.Scoped c) {
    Optional<UUID> id = uuid(ctx.pathParam("id"));
    if (id.isEmpty()) {
      ctx.fail(404, new Access.NotFound("There is no such import."));
      return;
    }
    jobs.find(c.tenant(), id.get()).onSuccess(job -> {
      if (job.isEmpty()) {
        ctx.fail(404, new Access.NotFound("There is no such import."));
        return;
      }
      Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "transfer.job", "transfer");
      m.put("job", jobRow(job.get()));
      pages.render(ctx, Pages.partial(ctx) ? "import-progress" : "import-job", m);
    }).onFailure(ctx::fail);
  }

  private void jobJson(RoutingContext ctx, Access.Scoped c) {
    Optional<UUID> id = uuid(ctx.pathParam("id"));
    (id.isEmpty() ? Future.succeededFuture(Optional.<ImportJobs.Job>empty()) : jobs.find(c.tenant(), id.get()))
        .onSuccess(job -> {
          if (job.isEmpty()) {
            ctx.fail(404, new Access.NotFound("There is no such import."));
          } else {
            HttpJson.send(ctx, job.get().toJson());
          }
        })
        .onFailure(ctx::fail);
  }

  private void export(RoutingContext ctx, Access.Scoped c) {
    jobs.export(c.who(), c.tenant()).onSuccess(zip -> ctx.response()
        .putHeader("content-type", "application/zip")
        .putHeader("content-disposition", "attachment; filename=\"civicbot-" + c.tenant() + "-"
            + LocalDate.now(ZoneOffset.UTC) + ".zip\"")
        .putHeader("cache-control", "no-store")
        .end(Buffer.buffer(zip))).onFailure(ctx::fail);
  }

  private static Optional<UUID> uuid(String value) {
    try {
      return Optional.of(UUID.fromString(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Map<String, Object> jobRow(ImportJobs.Job job) {
    List<Map<String, Object>> files = new ArrayList<>();
    job.report().ifPresent(r -> r.getJsonArray("files", new JsonArray()).forEach(o -> {
      JsonObject f = (JsonObject) o;
      files.add(Map.of("file", f.getString("file", ""), "slug", f.getString("slug", ""),
          "lang", f.getString("lang", ""), "outcome", f.getString("outcome", ""),
          "published", f.getBoolean("published", false), "message", f.getString("message", "")));
    }));
    JsonObject report = job.report().orElse(new JsonObject());
    return Map.ofEntries(Map.entry("id", job.id().toString()), Map.entry("status", job.status()),
        Map.entry("done", job.done()), Map.entry("total", job.total()), Map.entry("percent", job.percent()),
        Map.entry("finished", job.finished()), Map.entry("source", job.source()), Map.entry("actor", job.actor()),
        Map.entry("at", job.startedAt().toString().replace('T', ' ').substring(0, 16)),
        Map.entry("files", files), Map.entry("error", report.getString("error", "")),
        Map.entry("created", report.getInteger("created", 0)), Map.entry("updated", report.getInteger("updated", 0)),
        Map.entry("unchanged", report.getInteger("unchanged", 0)),
        Map.entry("published", report.getInteger("published", 0)),
        Map.entry("problems", report.getInteger("problems", 0)));
  }
}
