package org.civicbot.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An evaluation set read by its header: questions ({@code id lang expected question}), multi-turn conversations
 * ({@code conv turn lang expected text}) or a safety set ({@code id lang expected text} with {@code EMERGENCY} or
 * {@code HARMLESS}). Expected is an article slug or {@code OUT_OF_SCOPE}, {@code HANDOFF}, {@code SMALLTALK}.
 */
record EvalSet(Path file, boolean multiTurn, List<Row> rows) {

  /** One message to send and what should come of it. {@code conv} is the row id for single messages. */
  record Row(String id, String conv, String lang, String expected, String text) {

    String kind() {
      return switch (expected) {
        case "OUT_OF_SCOPE", "HANDOFF", "SMALLTALK", "EMERGENCY", "HARMLESS" -> expected;
        default -> "IN_SCOPE";
      };
    }

    /** Whether the engine's {@code outcome} with first article {@code slug} is the expected one. */
    boolean correct(String outcome, String slug) {
      return switch (kind()) {
        case "OUT_OF_SCOPE" -> outcome.equals("fallback");
        case "HANDOFF" -> outcome.equals("handoff");
        case "SMALLTALK" -> outcome.equals("smalltalk");
        case "EMERGENCY" -> outcome.equals("answered") && slug.equals("emergency");
        case "HARMLESS" -> !(outcome.equals("answered") && slug.equals("emergency"));
        default -> outcome.equals("answered") && expected.equals(slug);
      };
    }
  }

  static EvalSet read(Path tsv) throws IOException {
    List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("empty evaluation set " + tsv);
    }
    List<String> header = List.of(lines.get(0).strip().split("\t"));
    boolean multiTurn = header.contains("conv");
    int id = header.indexOf(multiTurn ? "conv" : "id");
    int lang = header.indexOf("lang");
    int expected = header.indexOf("expected");
    int text = Math.max(header.indexOf("question"), header.indexOf("text"));
    int turn = header.indexOf("turn");
    if (id < 0 || lang < 0 || expected < 0 || text < 0) {
      throw new IllegalArgumentException(tsv + ": the header must name id (or conv, turn), lang, expected and"
          + " question (or text), but was " + header);
    }
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cols = line.split("\t");
      if (line.isBlank() || cols.length < header.size()) {
        continue;
      }
      String rowId = multiTurn ? cols[id] + "." + cols[turn] : cols[id];
      rows.add(new Row(rowId, cols[id], cols[lang], cols[expected], cols[text]));
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no rows in " + tsv);
    }
    return new EvalSet(tsv, multiTurn, List.copyOf(rows));
  }
}
