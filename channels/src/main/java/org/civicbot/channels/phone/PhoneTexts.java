package org.civicbot.channels.phone;

import org.civicbot.bot.intent.TextFolding;
import org.civicbot.knowledge.Language;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The phone line's own sentences and listening words per language, from {@code civicbot/phone-texts.yaml}. */
public final class PhoneTexts {
  private final Map<Language, Map<String, Object>> texts;

  private PhoneTexts(Map<Language, Map<String, Object>> texts) {
    this.texts = texts;
  }

  @SuppressWarnings("unchecked")
  public static PhoneTexts bundled() {
    try (InputStream in = PhoneTexts.class.getResourceAsStream("/civicbot/phone-texts.yaml")) {
      Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      Map<Language, Map<String, Object>> texts = new EnumMap<>(Language.class);
      for (Language lang : Language.values()) {
        texts.put(lang, (Map<String, Object>) root.get(lang.code()));
      }
      return new PhoneTexts(texts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sentence {@code key} with {@code {phoneHours}} and {@code {municipality}} filled in. */
  public String get(Language lang, String key) {
    Map<String, Object> values = texts.get(lang);
    Object text = values.get(key);
    if (text == null) {
      throw new IllegalArgumentException("no phone text '" + key + "' for " + lang.code());
    }
    return String.valueOf(text).replace("{phoneHours}", String.valueOf(values.get("phoneHours")))
        .replace("{municipality}", String.valueOf(values.get("municipality")));
  }

  /** Whether {@code heard} is one of the phrases of list {@code key} (folded, in any of the languages). */
  public boolean is(String key, String heard) {
    String folded = TextFolding.fold(heard);
    for (Language lang : Language.values()) {
      Object list = texts.get(lang).get(key);
      if (list instanceof List<?> phrases && phrases.stream().anyMatch(p -> TextFolding.fold(String.valueOf(p))
          .equals(folded))) {
        return true;
      }
    }
    return false;
  }

  /** Every listening phrase of every list in {@code lang}: the recognizer must know them. */
  public List<String> listeningPhrases(Language lang) {
    List<String> phrases = new ArrayList<>();
    for (String key : List.of("repeatWords", "yesWords", "noWords", "languageWords")) {
      Object list = texts.get(lang).get(key);
      if (list instanceof List<?> values) {
        values.forEach(v -> phrases.add(String.valueOf(v)));
      }
    }
    for (Language other : Language.values()) {
      Object list = texts.get(other).get("languageWords");
      if (list instanceof List<?> values) {
        values.forEach(v -> phrases.add(String.valueOf(v)));
      }
    }
    return phrases;
  }
}
