package org.civicbot.knowledge.bench;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.Concept;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.decision.AnswerModelTrainer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the retriever of the sample knowledge base (or a folder of article files) per language, learns its answer
 * model and prints the model's knowledge-base cross-validation; then runs a question set ({@code id, lang, expected,
 * question} TSV) and prints, per language: top-1 and top-3 accuracy on in-scope questions, in-scope answered right,
 * and out-of-scope declined. {@code HANDOFF} and {@code SMALLTALK} rows belong to the conversation engine and are
 * skipped here. A benchmark, not a test.
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
    Path questions = Path.of(positional.size() > 0 ? positional.get(0) : "../shared/eval/dev-questions.tsv");
    ArticleFolder.Contents kb = positional.size() > 1 ? ArticleFolder.read(Path.of(positional.get(1)))
        : ArticleFolder.readSample();
    run(questions, kb, RetrievalSettings.DEFAULTS, System.out, verbose);
  }

  static void run(Path questionFile, ArticleFolder.Contents kb, RetrievalSettings settings, PrintStream out,
                  boolean verbose) throws IOException {
    kb.problems().forEach(p -> out.println("knowledge base problem: " + p));
    List<Question> questions = readQuestions(questionFile);
    TextEmbedder embedder = TextEmbedder.bundled();
    List<Concept> concepts = kb.concepts().orElse(List.of());
    LocalDate today = LocalDate.now();
    out.printf(Locale.ROOT, "%-4s %8s %8s %8s %10s %12s%n", "lang", "in-scope", "top-1", "top-3", "answered",
        "OOS declined");
    List<String> notes = new ArrayList<>();
    for (Language lang : Language.values()) {
      Map<String, Article> articles = new HashMap<>();
      kb.entries().stream().filter(e -> e.article().content().lang() == lang).forEach(e -> articles.put(
          e.article().content().slug(),
          new Article("bench", e.article().content(), 1, Article.Status.PUBLISHED, "bench", Instant.now())));
      try (KnowledgeIndex index = KnowledgeIndex.inMemory(lang, embedder)) {
        index.rebuild(articles.values(), concepts, 1, done -> { });
        AnswerModelTrainer.Result trained = AnswerModelTrainer.train(lang, articles.values(), concepts, embedder,
            settings, today);
        HybridRetriever retriever = new HybridRetriever(index, articles, settings, trained.model());
        notes.add(String.format(Locale.ROOT, "%s: knowledge-base cross-validation %s; threshold %.2f, learned in %.1f s"
            + " from %d questions", lang.code(), trained.crossValidation(), trained.model().threshold(),
            trained.millis() / 1000.0, trained.questions()) + (verbose ? "\n  model " + trained.model() : ""));
        int inScope = 0;
        int top1 = 0;
        int top3 = 0;
        int answered = 0;
        int oos = 0;
        int declined = 0;
        for (Question q : questions) {
          if (q.lang() != lang || q.expected().equals("HANDOFF") || q.expected().equals("SMALLTALK")) {
            continue;
          }
          Retrieval r = retriever.retrieve(q.text(), today);
          List<String> slugs = r.hits().stream().map(RetrievalHit::slug).toList();
          if (q.inScope()) {
            inScope++;
            boolean first = !slugs.isEmpty() && slugs.get(0).equals(q.expected());
            top1 += first ? 1 : 0;
            top3 += slugs.subList(0, Math.min(3, slugs.size())).contains(q.expected()) ? 1 : 0;
            answered += first && r.confident() ? 1 : 0;
            if (verbose && !(first && r.confident())) {
              out.printf(Locale.ROOT, "  MISS %s expected %s got %s p=%.2f | %s%n", q.id(), q.expected(),
                  slugs.isEmpty() ? "-" : slugs.get(0), r.best().map(RetrievalHit::confidence).orElse(0.0), q.text());
              r.hits().stream().limit(3).forEach(h -> out.printf(Locale.ROOT, "       %-24s p=%.2f %s%n", h.slug(),
                  h.confidence(), features(h.features())));
            }
          } else {
            oos++;
            declined += r.confident() ? 0 : 1;
            if (verbose && r.confident()) {
              out.printf(Locale.ROOT, "  ANSWERED-OOS %s got %s p=%.2f | %s%n", q.id(), slugs.get(0),
                  r.best().get().confidence(), q.text());
            }
          }
        }
        out.printf(Locale.ROOT, "%-4s %8d %7.1f%% %7.1f%% %9.1f%% %11.1f%%%n", lang.code(), inScope,
            pct(top1, inScope), pct(top3, inScope), pct(answered, inScope), pct(declined, oos));
      }
    }
    notes.forEach(out::println);
  }

  private static String features(double[] f) {
    StringBuilder b = new StringBuilder();
    org.civicbot.knowledge.decision.AnswerFeatures.named(f).forEach((name, value) -> b.append(name).append('=')
        .append(String.format(Locale.ROOT, "%.2f", value)).append(' '));
    return b.toString();
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
