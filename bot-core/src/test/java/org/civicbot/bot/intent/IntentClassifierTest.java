package org.civicbot.bot.intent;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The intent classifier: learned deterministically from examples, and a bad examples file named clearly. */
class IntentClassifierTest {

  private static List<IntentClassifier.Example> parse(String yaml) {
    return IntentClassifier.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
  }

  @Test
  void should_learn_the_same_classifier_from_the_same_examples() {
    List<IntentClassifier.Example> examples = IntentClassifier.bundledExamples();

    Map<Intent, Double> first = IntentClassifier.train(examples).scores("can I talk to a person please");
    Map<Intent, Double> second = IntentClassifier.train(examples).scores("can I talk to a person please");

    assertEquals(first, second);
    assertTrue(first.get(Intent.HUMAN) > 0.5, first.toString());
  }

  @Test
  void should_tell_the_intents_apart_on_messages_it_was_not_given() {
    IntentClassifier classifier = IntentClassifier.bundled();

    assertTrue(classifier.scores("i would really like to speak with one of your staff")
        .get(Intent.HUMAN) > 0.45);
    assertTrue(classifier.scores("mange tak for hjælpen, det var godt").get(Intent.THANKS) > 0.45);
    Map<Intent, Double> question = classifier.scores("when is the recycling centre open on saturdays");
    assertTrue(question.values().stream().allMatch(p -> p < 0.45), question.toString());
  }

  @Test
  void should_refuse_an_unknown_intent_by_name() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse("smalltalk:\n  en: [\"hi\"]\n"));
    assertTrue(e.getMessage().contains("'smalltalk'"), e.getMessage());
  }

  @Test
  void should_refuse_examples_that_are_not_lists_per_language() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("human: \"a person\"\n"));
    assertTrue(e.getMessage().contains("must map languages"), e.getMessage());
  }
}
