package org.civicbot.deploy;

import org.civicbot.admin.content.GapGrouping;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.embedding.TextEmbedder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The content-gap grouping benchmark (not a test): the questions of question sets ({@code id lang expected
 * question}), grouped as the content-gap page groups citizens' questions, at several similarity thresholds. A good
 * grouping puts one topic's questions together (topic recall: for each topic, the share of its questions in its
 * largest group) and keeps topics apart (purity: for each group, the share of its questions of its main topic).
 * Only questions with a topic count (not OUT_OF_SCOPE, HANDOFF, SMALLTALK); each language is grouped on its own, as
 * the page does. Default: the development set; the held-out sets measure the chosen threshold.
 */
public final class GapBenchmark {
  private static final double[] THRESHOLDS = {0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.72, 0.75, 0.78, 0.80};

  private GapBenchmark() {
  }

  record Question(String lang, String topic, String text) {
  }

  public static void main(String[] args) throws IOException {
    List<String> files = args.length > 0 ? List.of(args) : List.of("../shared/eval/dev-questions.tsv");
    List<Question> questions = new ArrayList<>();
    for (String file : files) {
      List<String> lines = Files.readAllLines(Path.of(file));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split("\t");
        if (f.length >= 4 && !f[2].equals(f[2].toUpperCase(Locale.ROOT))) {
          questions.add(new Question(f[1], f[2], f[3]));
        }
      }
    }
    TextEmbedder embedder = TextEmbedder.bundled();
    List<float[]> vectors = questions.stream().map(q -> GapGrouping.normalized(embedder.embed(q.text()))).toList();
    System.out.printf(Locale.ROOT, "%d questions with a topic from %s (embedding model %s)%n", questions.size(),
        String.join(", ", files), embedder.name());
    System.out.println("lang  threshold  groups  topics  purity  topic recall  F1");
    for (String lang : List.of("da", "en")) {
      List<Integer> index = new ArrayList<>();
      for (int i = 0; i < questions.size(); i++) {
        if (questions.get(i).lang().equals(lang)) {
          index.add(i);
        }
      }
      List<float[]> v = index.stream().map(vectors::get).toList();
      Language language = Language.fromCode(lang);
      List<Language> langs = index.stream().map(i -> language).toList();
      long topics = index.stream().map(i -> questions.get(i).topic()).distinct().count();
      for (double threshold : THRESHOLDS) {
        List<List<Integer>> groups = GapGrouping.group(v, langs, l -> threshold);
        int pure = 0;
        Map<String, Integer> bestPerTopic = new HashMap<>();
        for (List<Integer> g : groups) {
          Map<String, Integer> counts = new HashMap<>();
          g.forEach(k -> counts.merge(questions.get(index.get(k)).topic(), 1, Integer::sum));
          pure += counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
          counts.forEach((topic, n) -> bestPerTopic.merge(topic, n, Math::max));
        }
        int together = bestPerTopic.values().stream().mapToInt(Integer::intValue).sum();
        double purity = (double) pure / index.size();
        double recall = (double) together / index.size();
        System.out.printf(Locale.ROOT, "%-4s  %9.2f  %6d  %6d  %5.1f %%  %10.1f %%  %4.1f%s%n", lang, threshold,
            groups.size(), topics, 100 * purity, 100 * recall, 100 * 2 * purity * recall / (purity + recall),
            threshold == GapGrouping.threshold(language) ? "  (in use)" : "");
      }
    }
  }
}
