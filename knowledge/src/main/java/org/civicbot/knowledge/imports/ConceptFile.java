package org.civicbot.knowledge.imports;

import org.civicbot.knowledge.Concept;
import org.civicbot.knowledge.Language;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A concept list file ({@code concepts.yaml}, or any {@code *.yaml} in a {@code concepts/} folder):
 * <pre>
 * - area: "roads"
 *   da: ["lygtepæl", "gadelampe", "gadelys"]
 *   en: ["street light", "lamp post", "street lamp"]
 * </pre>
 */
public final class ConceptFile {

  public static final int MAX_CONCEPTS = 2_000;

  private ConceptFile() {
  }

  /** Parses a file's text; a problem throws {@link IllegalArgumentException} naming what is wrong. */
  public static List<Concept> parse(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    options.setCodePointLimit(ArticleFile.MAX_FILE_CHARS * 5);
    Object parsed;
    try {
      parsed = new Yaml(new SafeConstructor(options)).load(text);
    } catch (YAMLException e) {
      String detail = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw new IllegalArgumentException("not valid YAML: " + detail, e);
    }
    if (parsed == null) {
      return List.of();
    }
    if (!(parsed instanceof List<?> list)) {
      throw new IllegalArgumentException("must be a list of concepts (- area: ..., da: [...], en: [...])");
    }
    if (list.size() > MAX_CONCEPTS) {
      throw new IllegalArgumentException("lists " + list.size() + " concepts; the limit is " + MAX_CONCEPTS);
    }
    List<Concept> concepts = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException("concept " + (i + 1) + " must have area, da and en");
      }
      Map<Language, List<String>> terms = new EnumMap<>(Language.class);
      String area = "";
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (key.equals("area")) {
          area = String.valueOf(e.getValue());
          continue;
        }
        Language lang;
        try {
          lang = Language.fromCode(key);
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException("concept " + (i + 1) + ": unknown key '" + key
              + "'; allowed: area, da, en");
        }
        if (!(e.getValue() instanceof List<?> values)) {
          throw new IllegalArgumentException("concept " + (i + 1) + ": '" + key + "' must be a list of terms");
        }
        terms.put(lang, values.stream().map(String::valueOf).toList());
      }
      concepts.add(new Concept(area, terms));
    }
    return concepts;
  }

  /** The file text for {@code concepts}: what {@link #parse} reads back to the same lists. */
  public static String format(List<Concept> concepts) {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (Concept c : concepts) {
      Map<String, Object> entry = new java.util.LinkedHashMap<>();
      entry.put("area", c.area());
      for (Language lang : Language.values()) {
        if (c.terms().containsKey(lang)) {
          entry.put(lang.code(), c.terms(lang));
        }
      }
      entries.add(entry);
    }
    var options = new org.yaml.snakeyaml.DumperOptions();
    options.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW);
    options.setDefaultScalarStyle(org.yaml.snakeyaml.DumperOptions.ScalarStyle.DOUBLE_QUOTED);
    options.setWidth(10_000);
    StringBuilder text = new StringBuilder();
    for (Map<String, Object> entry : entries) {
      text.append("- ").append(new Yaml(options).dump(entry).strip()).append('\n');
    }
    return text.toString();
  }
}
