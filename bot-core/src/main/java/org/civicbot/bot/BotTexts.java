package org.civicbot.bot;

import org.civicbot.knowledge.Language;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the assistant says, per language, from {@code civicbot/texts.yaml} or an operator's file. A text may have a
 * spoken variant under {@code <key>Spoken} for voice channels (no links, nothing to read or click); without one the
 * written text is spoken.
 */
public final class BotTexts {

  private static final List<String> REQUIRED = List.of("assistant", "municipality", "phone", "phoneHours",
      "greeting", "greetingSuggestions", "smalltalkGreeting", "smalltalkThanks", "smalltalkGoodbye",
      "smalltalkAcknowledge", "askFeedback", "feedbackYes", "feedbackNo", "fallback", "fallbackOfferPerson",
      "fallbackSuggestionsIntro", "clarify", "or", "handoff", "talkToPerson", "yes", "no");

  private final Map<Language, Map<String, Object>> texts;

  private BotTexts(Map<Language, Map<String, Object>> texts) {
    this.texts = texts;
  }

  public static BotTexts bundled() {
    try (InputStream in = BotTexts.class.getResourceAsStream("/civicbot/texts.yaml")) {
      return parse(in, "civicbot/texts.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static BotTexts fromFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read texts file " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static BotTexts parse(InputStream in, String name) {
    Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    if (!(root instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("texts file " + name + " must map a language to its texts");
    }
    Map<Language, Map<String, Object>> texts = new EnumMap<>(Language.class);
    for (Language lang : Language.values()) {
      Object forLang = map.get(lang.code());
      if (!(forLang instanceof Map<?, ?> values)) {
        throw new IllegalArgumentException("texts file " + name + " has no texts for '" + lang.code() + "'");
      }
      for (String key : REQUIRED) {
        if (!values.containsKey(key)) {
          throw new IllegalArgumentException("texts file " + name + " lacks '" + key + "' for " + lang.code());
        }
      }
      texts.put(lang, (Map<String, Object>) values);
    }
    return new BotTexts(texts);
  }

  /** The text {@code key} in {@code lang} with its placeholders filled in. */
  public String get(Language lang, String key) {
    return fill(lang, String.valueOf(texts.get(lang).get(key)));
  }

  /** Whether the texts have {@code key} in {@code lang} (an operator's own texts may lack the newer ones). */
  public boolean has(Language lang, String key) {
    return texts.get(lang).containsKey(key);
  }

  /** The spoken variant of {@code key}, or its written text when it has none. */
  public String spoken(Language lang, String key) {
    return texts.get(lang).containsKey(key + "Spoken") ? get(lang, key + "Spoken") : get(lang, key);
  }

  /** A message of text {@code key} with its spoken variant and {@code suggestions}. */
  public BotReply.Message message(Language lang, String key, List<String> suggestions) {
    return new BotReply.Message(get(lang, key), spoken(lang, key), List.of(), suggestions, false);
  }

  public List<String> list(Language lang, String key) {
    Object value = texts.get(lang).get(key);
    return value instanceof List<?> list ? list.stream().map(v -> fill(lang, String.valueOf(v))).toList() : List.of();
  }

  private String fill(Language lang, String text) {
    Map<String, Object> values = texts.get(lang);
    String result = text;
    for (String key : List.of("assistant", "municipality", "phone", "phoneHours")) {
      result = result.replace("{" + key + "}", String.valueOf(values.get(key)));
    }
    return result;
  }
}
