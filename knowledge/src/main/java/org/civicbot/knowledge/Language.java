package org.civicbot.knowledge;

import java.util.Locale;

/** The languages CivicBot answers in. */
public enum Language {
  DA, EN;

  /** The ISO 639-1 code used in the API and the database ({@code da}, {@code en}). */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Language fromCode(String code) {
    if (code != null) {
      for (Language language : values()) {
        if (language.code().equalsIgnoreCase(code.strip())) {
          return language;
        }
      }
    }
    throw new IllegalArgumentException("unknown language '" + code + "': expected 'da' or 'en'");
  }
}
