package org.civicbot.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * What the citizens of a load benchmark say, drawn from the evaluation sets so that the server meets the varied
 * questions it meets in service rather than one cached one: half the conversations play a multi-turn script (started
 * in the script's language, as a citizen who chose it on the page), half ask a single question with no language hint.
 * Drawn from a fixed seed, so two runs send the same sequence.
 */
final class CitizenScripts {
  static final long SEED = 20261202L;

  /** One citizen's conversation: the language asked for at its start, if any, and the messages in order. */
  record Script(Optional<String> lang, List<String> messages) {
  }

  private final List<Script> multiTurn;
  private final List<Script> singleQuestions;
  private final Random random = new Random(SEED);

  private CitizenScripts(List<Script> multiTurn, List<Script> singleQuestions) {
    this.multiTurn = multiTurn;
    this.singleQuestions = singleQuestions;
  }

  static CitizenScripts read(Path questions, Path conversations) throws IOException {
    EvalSet questionSet = EvalSet.read(questions);
    EvalSet conversationSet = EvalSet.read(conversations);
    if (questionSet.multiTurn() || !conversationSet.multiTurn()) {
      throw new IllegalArgumentException("expected a question set (id lang expected question) in " + questions
          + " and a multi-turn set (conv turn lang expected text) in " + conversations);
    }
    List<Script> singles = questionSet.rows().stream()
        .map(row -> new Script(Optional.empty(), List.of(row.text()))).toList();
    Map<String, List<EvalSet.Row>> byConversation = new LinkedHashMap<>();
    conversationSet.rows().forEach(row -> byConversation.computeIfAbsent(row.conv(), c -> new ArrayList<>()).add(row));
    List<Script> scripts = byConversation.values().stream()
        .map(rows -> new Script(Optional.of(rows.get(0).lang()), rows.stream().map(EvalSet.Row::text).toList()))
        .toList();
    return new CitizenScripts(scripts, singles);
  }

  /** The next citizen's conversation; not thread-safe (the load runs on one event loop). */
  Script next() {
    List<Script> kind = random.nextBoolean() ? multiTurn : singleQuestions;
    return kind.get(random.nextInt(kind.size()));
  }

  @Override
  public String toString() {
    return multiTurn.size() + " multi-turn scripts and " + singleQuestions.size() + " single questions";
  }
}
