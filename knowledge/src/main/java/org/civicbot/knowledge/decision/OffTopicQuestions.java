package org.civicbot.knowledge.decision;

import org.civicbot.knowledge.Language;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Questions no municipal knowledge base should answer (other authorities, companies, everyday matters), bundled per
 * language in {@code civicbot/off-topic-questions.yaml}: the answer decision learns from them, as questions to
 * decline, what an off-topic question looks like to the retriever. They say nothing about any one municipality, so
 * every tenant learns from the same ones besides its own not-covered examples.
 */
public final class OffTopicQuestions {

  private static final String RESOURCE = "/civicbot/off-topic-questions.yaml";
  private static final Map<Language, List<String>> BUNDLED = load();

  private OffTopicQuestions() {
  }

  /** The bundled questions of {@code lang} (empty when the file has none). */
  public static List<String> of(Language lang) {
    return BUNDLED.getOrDefault(lang, List.of());
  }

  /** Changes whenever the bundled questions do: part of a stored model's format, so a new set retrains. */
  static int fingerprint() {
    return BUNDLED.hashCode();
  }

  private static Map<Language, List<String>> load() {
    Map<Language, List<String>> result = new EnumMap<>(Language.class);
    try (InputStream in = OffTopicQuestions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return result;
      }
      Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      if (!(root instanceof Map<?, ?> map)) {
        throw new IllegalStateException(RESOURCE + " must map languages to lists of questions");
      }
      for (Language lang : Language.values()) {
        if (map.get(lang.code()) instanceof List<?> items) {
          result.put(lang, items.stream().map(String::valueOf).toList());
        }
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
