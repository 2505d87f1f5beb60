package org.civicbot.knowledge.bench;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.embedding.TextEmbedder;
import org.civicbot.knowledge.imports.ArticleFolder;
import org.civicbot.knowledge.index.KnowledgeIndex;
import org.civicbot.knowledge.retrieval.HybridRetriever;
import org.civicbot.knowledge.retrieval.Retrieval;
import org.civicbot.knowledge.retrieval.RetrievalHit;
import org.civicbot.knowledge.retrieval.RetrievalSettings;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a question set ({@code id, lang, expected, question} TSV) against the retriever built from the sample
 * knowledge base (or a folder of article files) and prints, per language: top-1 and top-3 accuracy on in-scope
 * questions, and the share of out-of-scope questions whose best confidence falls below the answer threshold.
 * {@code HANDOFF} and {@code SMALLTALK} rows belong to the conversation engine and are skipped here.
 */
public final class RetrievalBenchmark {

  /** One question of the set. */
  record Question(String id, Language lang, String expected, String text) {
    boolean inScope() {
      return !expected.equals("OUT_OF_SCOPE") && !expected.equals("HANDOFF") && !expected.equals("SMALLTALK");
    }
  }

  public static void main(String[] args) throws IOException {
    List<String> positional = List.of(args).stream().filter(a -> !a.startsWith("--")).toList();
    boolean verbose = List.of(args).contains("--verbose");
    boolean sweep = List.of(args).contains("--sweep");
    Path questions = Path.of(positional.size() > 0 ? positional.get(0) : "../shared/eval/dev-questions.tsv");
    ArticleFolder.Contents kb = positional.size() > 1 ? ArticleFolder.read(Path.of(positional.get(1)))
        : ArticleFolder.readSample();
    run(questions, kb, RetrievalSettings.DEFAULTS, System.out, verbose, sweep);
  }

  /** One question's outcome: whether the best hit was the expected article, and its confidence. */
  private record Outcome(Language lang, boolean inScope, boolean top1, double confidence) {
  }

  static void run(Path questionFile, ArticleFolder.Contents kb, RetrievalSettings settings, PrintStream out,
                  boolean verbose, boolean sweep) throws IOException {
    if (!kb.problems().isEmpty()) {
      kb.problems().forEach(p -> out.println("knowledge base problem: " + p));
    }
    List<Question> questions = readQuestions(questionFile);
    TextEmbedder embedder = TextEmbedder.bundled();
    Path tmp = Files.createTempDirectory("civicbot-bench");
    Map<Language, HybridRetriever> retrievers = new EnumMap<>(Language.class);
    long buildStart = System.nanoTime();
    for (Language lang : Language.values()) {
      Map<String, Article> articles = new HashMap<>();
      kb.entries().stream().filter(e -> e.article().content().lang() == lang).forEach(e -> articles.put(
          e.article().content().slug(),
          new Article("bench", e.article().content(), 1, Article.Status.PUBLISHED, "bench", Instant.now())));
      KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve(lang.code()), lang, embedder);
      index.rebuild(articles.values(), 1, done -> { });
      retrievers.put(lang, new HybridRetriever(index, articles, settings));
    }
    out.printf("Indexed %d articles in %.1f s (embedding model %s)%n", kb.entries().size(),
        (System.nanoTime() - buildStart) / 1e9, embedder.name());

    LocalDate today = LocalDate.now();
    out.printf("%-4s %8s %8s %8s %12s%n", "lang", "in-scope", "top-1", "top-3", "OOS declined");
    List<Long> nanos = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    for (Language lang : Language.values()) {
      int inScope = 0, top1 = 0, top3 = 0, oos = 0, declined = 0;
      for (Question q : questions) {
        if (q.lang() != lang || !(q.inScope() || q.expected().equals("OUT_OF_SCOPE"))) {
          continue;
        }
        long start = System.nanoTime();
        Retrieval r = retrievers.get(lang).retrieve(q.text(), today);
        nanos.add(System.nanoTime() - start);
        List<String> slugs = r.hits().stream().map(RetrievalHit::slug).toList();
        outcomes.add(new Outcome(lang, q.inScope(), !slugs.isEmpty() && slugs.get(0).equals(q.expected()),
            r.hits().isEmpty() ? 0 : r.hits().get(0).confidence()));
        if (q.inScope()) {
          inScope++;
          boolean first = !slugs.isEmpty() && slugs.get(0).equals(q.expected());
          top1 += first ? 1 : 0;
          top3 += slugs.subList(0, Math.min(3, slugs.size())).contains(q.expected()) ? 1 : 0;
          if (verbose && (!first || !r.confident())) {
            out.printf("  MISS %s %s expected=%s got=%s %s%n", q.id(), q.text(), q.expected(), describe(r),
                first ? "(right but below threshold)" : "");
          }
        } else {
          oos++;
          declined += r.confident() ? 0 : 1;
          if (verbose && r.confident()) {
            out.printf("  OOS-ANSWERED %s %s got=%s%n", q.id(), q.text(), describe(r));
          }
        }
      }
      out.printf("%-4s %8d %7.1f%% %7.1f%% %11.1f%%  (%d/%d out-of-scope below threshold %.2f)%n", lang.code(),
          inScope, pct(top1, inScope), pct(top3, inScope), pct(declined, oos), declined, oos,
          settings.thresholdFor(embedder.supports(lang)));
    }
    if (sweep) {
      printSweep(outcomes, settings, embedder, out);
    }
    nanos.sort(Long::compare);
    if (!nanos.isEmpty()) {
      out.printf("retrieval latency: p50 %.2f ms, p99 %.2f ms over %d questions%n",
          nanos.get(nanos.size() / 2) / 1e6, nanos.get((int) Math.min(nanos.size() - 1, nanos.size() * 0.99)) / 1e6,
          nanos.size());
    }
  }

  /**
   * What other answer thresholds would do: per language, the share of in-scope questions answered with the right
   * article (right and confident) and the share of out-of-scope questions declined.
   */
  private static void printSweep(List<Outcome> outcomes, RetrievalSettings settings, TextEmbedder embedder,
                                 PrintStream out) {
    out.println("threshold sweep: in-scope right and confident / out-of-scope declined (* the current threshold)");
    out.printf("%-9s %22s %22s%n", "threshold", "da", "en");
    for (int step = 30; step <= 75; step += 5) {
      double threshold = step / 100.0;
      StringBuilder line = new StringBuilder(String.format("%-9.2f", threshold));
      for (Language lang : Language.values()) {
        boolean current = Math.abs(threshold - settings.thresholdFor(embedder.supports(lang))) < 1e-9;
        int inScope = 0, answered = 0, oos = 0, declined = 0;
        for (Outcome o : outcomes) {
          if (o.lang() != lang) {
            continue;
          }
          if (o.inScope()) {
            inScope++;
            answered += o.top1() && o.confidence() >= threshold ? 1 : 0;
          } else {
            oos++;
            declined += o.confidence() < threshold ? 1 : 0;
          }
        }
        line.append(String.format(" %12.1f%% / %5.1f%%%s", pct(answered, inScope), pct(declined, oos),
            current ? "*" : " "));
      }
      out.println(line);
    }
  }

  private static String describe(Retrieval r) {
    StringBuilder sb = new StringBuilder();
    for (RetrievalHit hit : r.hits().subList(0, Math.min(3, r.hits().size()))) {
      sb.append(String.format("%s(s=%.2f c=%.2f cov=%.2f cos=%.2f) ", hit.slug(), hit.score(), hit.confidence(),
          hit.signals().coverage(), hit.signals().vectorCosine()));
    }
    return sb.toString().strip();
  }

  private static double pct(int part, int whole) {
    return whole == 0 ? 0 : 100.0 * part / whole;
  }

  static List<Question> readQuestions(Path file) throws IOException {
    List<Question> questions = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] cols = line.split("\t", 4);
      if (cols.length < 4) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected 4 tab-separated columns");
      }
      questions.add(new Question(cols[0], Language.fromCode(cols[1]), cols[2], cols[3]));
    }
    return questions;
  }
}
