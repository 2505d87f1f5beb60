package org.civicbot.admin.web;

import org.civicbot.knowledge.Language;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The staff app's words in Danish and English ({@code staff/texts_*.properties}); templates read them as
 * {@code t.some_key} (dots in the keys become underscores). A missing key is an error at startup, not a blank label.
 */
public final class UiText {
  private final Map<Language, Map<String, String>> texts = new EnumMap<>(Language.class);

  public static UiText bundled() {
    return new UiText();
  }

  private UiText() {
    for (Language lang : Language.values()) {
      texts.put(lang, load("staff/texts_" + lang.code() + ".properties"));
    }
    if (!texts.get(Language.DA).keySet().equals(texts.get(Language.EN).keySet())) {
      throw new IllegalStateException("the staff texts differ in their keys between Danish and English");
    }
  }

  private static Map<String, String> load(String resource) {
    try (InputStream in = UiText.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing " + resource);
      }
      Properties p = new Properties();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      Map<String, String> map = new TreeMap<>();
      p.forEach((k, v) -> map.put(String.valueOf(k).replace('.', '_'), String.valueOf(v)));
      return Map.copyOf(map);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every text of {@code lang}, for a template. */
  public Map<String, String> all(Language lang) {
    return texts.get(lang);
  }

  /** One text with {0}, {1}... filled in. */
  public String get(Language lang, String key, Object... args) {
    String text = texts.get(lang).get(key.replace('.', '_'));
    if (text == null) {
      throw new IllegalArgumentException("no staff text '" + key + "'");
    }
    return args.length == 0 ? text : new MessageFormat(text.replace("'", "''"), Locale.ROOT).format(args);
  }
}
