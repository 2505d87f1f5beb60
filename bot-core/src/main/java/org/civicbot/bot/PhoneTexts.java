package org.civicbot.bot;

import org.civicbot.bot.handoff.OpeningHours;
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
import java.util.Optional;

/** The phone line's own sentences and listening words per language, from {@code civicbot/phone-texts.yaml}. */
public final class PhoneTexts {
  private final Map<Language, Map<String, Object>> texts;
  private final Optional<OpeningHours> hours;

  private PhoneTexts(Map<Language, Map<String, Object>> texts, Optional<OpeningHours> hours) {
    this.texts = texts;
    this.hours = hours;
  }

  /** These texts with {@code {phoneHours}} spoken from {@code hours} rather than the bundled sentence. */
  public PhoneTexts withOpeningHours(OpeningHours hours) {
    return new PhoneTexts(texts, Optional.of(hours));
  }

  @SuppressWarnings("unchecked")
  public static PhoneTexts bundled() {
    try (InputStream in = PhoneTexts.class.getResourceAsStream("/civicbot/phone-texts.yaml")) {
      Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      Map<Language, Map<String, Object>> texts = new EnumMap<>(Language.class);
      for (Language lang : Language.values()) {
        texts.put(lang, (Map<String, Object>) root.get(lang.code()));
      }
      return new PhoneTexts(texts, Optional.empty());
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
    String phoneHours = hours.map(h -> h.describe(lang)).orElse(String.valueOf(values.get("phoneHours")));
    return String.valueOf(text).replace("{phoneHours}", phoneHours)
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

  /** The language whose name the caller said ("dansk", "english": a phrase of its {@code languageWords}), if any. */
  public Optional<Language> namedLanguage(String heard) {
    String folded = TextFolding.fold(heard);
    for (Language lang : Language.values()) {
      if (texts.get(lang).get("languageWords") instanceof List<?> names
          && names.stream().anyMatch(n -> TextFolding.fold(String.valueOf(n)).equals(folded))) {
        return Optional.of(lang);
      }
    }
    return Optional.empty();
  }

  /**
   * The caller's yes or no: one of the yes or no phrases, or a short utterance (up to three words) that begins with a
   * one-word yes or no ("yes leave" for "yes please" misheard). Empty when it is neither, e.g. a new question.
   */
  public Optional<Boolean> yesOrNo(String heard) {
    if (is("yesWords", heard)) {
      return Optional.of(true);
    }
    if (is("noWords", heard)) {
      return Optional.of(false);
    }
    String[] words = TextFolding.fold(heard).split(" ");
    if (words.length > 3) {
      return Optional.empty();
    }
    if (is("yesWords", words[0])) {
      return Optional.of(true);
    }
    if (is("noWords", words[0])) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  /** Every listening phrase of every list in {@code lang}: the recognizer must know them. */
  public List<String> listeningPhrases(Language lang) {
    List<String> phrases = new ArrayList<>();
    for (String key : List.of("repeatWords", "yesWords", "noWords", "languageWords", "personWords")) {
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
