package org.civicbot.knowledge;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A group of interchangeable terms citizens use for one thing ("lygtepæl", "gadelampe", "street light"), per
 * language, kept by editors. An article that mentions one term of a group is indexed with all of them.
 *
 * @param area  the area the group belongs to, for the editors' overview
 * @param terms the group's terms per language (a language may have none)
 */
public record Concept(String area, Map<Language, List<String>> terms) {

  public static final int MAX_TERMS = 50;

  public Concept {
    area = area == null ? "" : area.strip();
    EnumMap<Language, List<String>> copy = new EnumMap<>(Language.class);
    for (Map.Entry<Language, List<String>> e : terms.entrySet()) {
      List<String> list = e.getValue().stream().map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
      if (list.size() > MAX_TERMS) {
        throw new IllegalArgumentException("a concept in area '" + area + "' has " + list.size() + " "
            + e.getKey().code() + " terms; the limit is " + MAX_TERMS);
      }
      list.forEach(t -> {
        if (t.length() > 100) {
          throw new IllegalArgumentException("concept term is over 100 characters: '" + t.substring(0, 40) + "...'");
        }
      });
      copy.put(e.getKey(), list);
    }
    terms = Map.copyOf(copy);
  }

  public List<String> terms(Language lang) {
    return terms.getOrDefault(lang, List.of());
  }
}
