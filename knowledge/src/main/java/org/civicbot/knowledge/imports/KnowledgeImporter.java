package org.civicbot.knowledge.imports;

import io.vertx.core.Future;
import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.store.ArticleStore;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Imports article files into a tenant: each file becomes a new revision when its content changed, and is published
 * when its status says so. Files with problems are reported and skipped; the rest are imported. The indexes of the
 * languages touched are rebuilt once at the end.
 */
public final class KnowledgeImporter {

  /** What an import did, in total and file by file. */
  public record Report(int created, int updated, int unchanged, int published, List<ArticleFolder.Problem> problems,
                       List<FileResult> files) {
    public Report {
      problems = List.copyOf(problems);
      files = List.copyOf(files);
    }

    public int imported() {
      return created + updated + unchanged;
    }

    @Override
    public String toString() {
      return "imported " + imported() + " files (" + created + " new, " + updated + " changed, " + unchanged
          + " unchanged, " + published + " published); " + problems.size() + " with problems";
    }
  }

  /**
   * What happened to one file: {@code created}, {@code updated}, {@code unchanged} (a new revision only when the
   * content changed) or {@code problem} (not imported, {@code message} says why); {@code published} whether this
   * import published it. Slug and language are empty for a file that could not be read.
   */
  public record FileResult(String file, String slug, String lang, String outcome, boolean published,
                           String message) {
  }

  /** Progress of an import: files done out of the total. */
  public interface Progress {
    void update(int done, int total);
  }

  private final KnowledgeBase knowledgeBase;

  public KnowledgeImporter(KnowledgeBase knowledgeBase) {
    this.knowledgeBase = knowledgeBase;
  }

  public Future<Report> importContents(String tenantId, ArticleFolder.Contents contents, String author,
                                       Progress progress) {
    ArticleStore store = knowledgeBase.store();
    int[] counts = new int[4];
    Set<Language> touched = EnumSet.noneOf(Language.class);
    List<ArticleFolder.Problem> problems = new ArrayList<>(contents.problems());
    List<FileResult> files = new ArrayList<>();
    List<ArticleFolder.Entry> entries = contents.entries();
    Future<Void> chain = store.ensureTenant(tenantId, tenantId);
    for (int i = 0; i < entries.size(); i++) {
      ArticleFolder.Entry entry = entries.get(i);
      int done = i + 1;
      String slug = entry.article().content().slug();
      String lang = entry.article().content().lang().code();
      chain = chain.compose(ignored -> importOne(store, tenantId, entry, author, counts, touched)
          .map(result -> files.add(result))
          .recover(failure -> {
            problems.add(new ArticleFolder.Problem(entry.file(), "not imported: " + failure.getMessage()));
            files.add(new FileResult(entry.file(), slug, lang, "problem", false, "not imported: "
                + failure.getMessage()));
            return Future.succeededFuture();
          })
          .<Void>mapEmpty()
          .onSuccess(v -> progress.update(done, entries.size())));
    }
    if (contents.concepts().isPresent()) {
      List<org.civicbot.knowledge.Concept> concepts = contents.concepts().get();
      chain = chain.compose(ignored -> store.saveConcepts(tenantId, concepts)).map(changed -> {
        if (changed) {
          touched.addAll(List.of(Language.values()));
        }
        return null;
      });
    }
    return chain
        .compose(ignored -> {
          Future<Void> refresh = Future.succeededFuture();
          for (Language lang : touched) {
            refresh = refresh.compose(v -> knowledgeBase.refresh(tenantId, lang, false));
          }
          return refresh;
        })
        .map(ignored -> {
          List<FileResult> all = new ArrayList<>(files);
          contents.problems().forEach(p -> all.add(new FileResult(p.file(), "", "", "problem", false, p.message())));
          all.sort(java.util.Comparator.comparing(FileResult::file));
          return new Report(counts[0], counts[1], counts[2], counts[3], problems, all);
        });
  }

  private static Future<FileResult> importOne(ArticleStore store, String tenantId, ArticleFolder.Entry entry,
                                              String author, int[] counts, Set<Language> touched) {
    ArticleFile file = entry.article();
    return store.latest(tenantId, file.content().slug(), file.content().lang())
        .compose(before -> store.saveRevision(tenantId, file.content(), author).compose(saved -> {
          String outcome;
          if (before.isEmpty()) {
            counts[0]++;
            outcome = "created";
          } else if (before.get().revision() == saved.revision()) {
            counts[2]++;
            outcome = "unchanged";
          } else {
            counts[1]++;
            outcome = "updated";
          }
          FileResult result = new FileResult(entry.file(), saved.slug(), saved.lang().code(), outcome, false,
              "revision " + saved.revision());
          if (!file.published() || saved.status() == Article.Status.PUBLISHED) {
            return Future.succeededFuture(result);
          }
          counts[3]++;
          touched.add(saved.lang());
          return store.publish(tenantId, saved.slug(), saved.lang(), saved.revision())
              .map(published -> new FileResult(result.file(), result.slug(), result.lang(), outcome, true,
                  result.message()));
        }));
  }

  /** A progress listener that reports every tenth file and the last one. */
  public static Progress logging(Consumer<String> log) {
    return (done, total) -> {
      if (done % 10 == 0 || done == total) {
        log.accept("Importing articles: " + done + "/" + total);
      }
    };
  }
}
