package org.civicbot.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One question of an evaluation set ({@code id, lang, expected, question} TSV, as {@code dev-questions.tsv}): the
 * expected article slug, or {@code OUT_OF_SCOPE}, {@code HANDOFF}, {@code SMALLTALK}.
 */
record DevQuestion(String id, String lang, String expected, String text) {

  String kind() {
    return row().kind();
  }

  /** Whether the engine's {@code outcome} with first article {@code slug} is the expected one. */
  boolean correct(String outcome, String slug) {
    return row().correct(outcome, slug);
  }

  /** The same question as a row of an {@link EvalSet}, which judges outcomes for every kind of set. */
  private EvalSet.Row row() {
    return new EvalSet.Row(id, id, lang, expected, text);
  }

  static String kindLabel(String kind) {
    return switch (kind) {
      case "IN_SCOPE" -> "in-scope top-1 answered";
      case "OUT_OF_SCOPE" -> "out-of-scope declined";
      case "HANDOFF" -> "handoff recognized";
      case "SMALLTALK" -> "smalltalk recognized";
      case "EMERGENCY" -> "emergencies answered";
      case "HARMLESS" -> "harmless not alarmed";
      default -> kind;
    };
  }

  static List<DevQuestion> read(Path tsv) throws IOException {
    List<DevQuestion> set = new ArrayList<>();
    for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
      String[] cols = line.split("\t");
      if (cols.length < 4 || cols[0].equals("id")) {
        continue;
      }
      set.add(new DevQuestion(cols[0], cols[1], cols[2], cols[3]));
    }
    if (set.isEmpty()) {
      throw new IllegalArgumentException("no questions in " + tsv);
    }
    return set;
  }

  static double percentile(double[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
