package org.civicbot.knowledge.imports;

import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.NotCovered;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One article as a readable file: YAML front matter between {@code ---} lines, then the answer in Markdown.
 * <pre>
 * ---
 * slug: "passport-adult"
 * lang: "da"
 * title: "Pas til voksne"
 * area: "borgerservice"
 * source_url: "https://www.eksempel-kommune.dk/borger/pas"
 * status: "published"          # or "draft"
 * questions: ["Hvordan får jeg nyt pas?", ...]
 * keywords: ["pas", ...]       # optional
 * spoken: "Two or three sentences for the phone."
 * valid_from: 2026-01-01       # optional, also valid_until
 * not_covered:                 # optional: near-miss topics this article must not answer
 *   - topic: "Momsregistrering af en virksomhed"
 *     refer: "Virksomheder registreres for moms hos Erhvervsstyrelsen på virk.dk."
 *     questions: ["hvordan momsregistrerer jeg mit firma", ...]
 * ---
 * Markdown answer
 * </pre>
 */
public record ArticleFile(ArticleContent content, boolean published) {

  public static final int MAX_FILE_CHARS = 100_000;
  private static final Set<String> KEYS = Set.of("slug", "lang", "title", "area", "source_url", "status", "questions",
      "keywords", "spoken", "valid_from", "valid_until", "not_covered");

  /** Parses a file's text; a problem throws {@link IllegalArgumentException} with a message a person can act on. */
  public static ArticleFile parse(String text) {
    if (text.length() > MAX_FILE_CHARS) {
      throw new IllegalArgumentException("file is " + text.length() + " characters; the limit is " + MAX_FILE_CHARS);
    }
    String normalized = text.replace("\r\n", "\n").replace("\uFEFF", "");
    if (!normalized.startsWith("---\n")) {
      throw new IllegalArgumentException("must start with a '---' line opening the front matter");
    }
    int end = normalized.indexOf("\n---\n", 3);
    if (end < 0 && normalized.endsWith("\n---")) {
      end = normalized.length() - 4;
    }
    if (end < 0) {
      throw new IllegalArgumentException("front matter is not closed by a '---' line");
    }
    Map<String, Object> front = frontMatter(normalized.substring(4, end + 1));
    String body = normalized.substring(Math.min(normalized.length(), end + 5));

    List<String> unknown = front.keySet().stream().filter(k -> !KEYS.contains(k)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown key(s) " + unknown + "; allowed: " + KEYS.stream().sorted().toList());
    }
    String status = string(front, "status", "published");
    if (!status.equals("published") && !status.equals("draft")) {
      throw new IllegalArgumentException("status must be 'published' or 'draft', but was '" + status + "'");
    }
    ArticleContent content = ArticleContent.builder()
        .slug(string(front, "slug", null))
        .lang(Language.fromCode(string(front, "lang", null)))
        .title(string(front, "title", null))
        .area(string(front, "area", null))
        .sourceUrl(string(front, "source_url", null))
        .questions(strings(front, "questions"))
        .keywords(strings(front, "keywords"))
        .spoken(string(front, "spoken", null))
        .validFrom(date(front, "valid_from"))
        .validUntil(date(front, "valid_until"))
        .notCovered(notCovered(front))
        .answer(body)
        .build();
    return new ArticleFile(content, status.equals("published"));
  }

  /** The file text for {@code content}: what {@link #parse} reads back to the same content. */
  public static String format(ArticleContent content, boolean published) {
    Map<String, Object> front = new LinkedHashMap<>();
    front.put("slug", content.slug());
    front.put("lang", content.lang().code());
    front.put("title", content.title());
    front.put("area", content.area());
    front.put("source_url", content.sourceUrl());
    front.put("status", published ? "published" : "draft");
    front.put("questions", content.questions());
    front.put("keywords", content.keywords());
    front.put("spoken", content.spoken());
    if (!content.notCovered().isEmpty()) {
      List<Map<String, Object>> entries = new ArrayList<>();
      for (NotCovered n : content.notCovered()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("topic", n.topic());
        entry.put("refer", n.refer());
        entry.put("questions", n.questions());
        entries.add(entry);
      }
      front.put("not_covered", entries);
    }
    if (content.validFrom() != null) {
      front.put("valid_from", content.validFrom().toString());
    }
    if (content.validUntil() != null) {
      front.put("valid_until", content.validUntil().toString());
    }
    var options = new org.yaml.snakeyaml.DumperOptions();
    options.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
    options.setDefaultScalarStyle(org.yaml.snakeyaml.DumperOptions.ScalarStyle.DOUBLE_QUOTED);
    options.setWidth(10_000);
    return "---\n" + new Yaml(options).dump(front) + "---\n" + content.answer() + "\n";
  }

  private static Map<String, Object> frontMatter(String yamlText) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    options.setCodePointLimit(MAX_FILE_CHARS);
    Object parsed;
    try {
      parsed = new Yaml(new SafeConstructor(options)).load(yamlText);
    } catch (YAMLException e) {
      String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
          .orElse("");
      throw new IllegalArgumentException("front matter is not valid YAML: " + detail, e);
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("front matter must be a set of 'key: value' lines");
    }
    Map<String, Object> result = new LinkedHashMap<>();
    map.forEach((k, v) -> result.put(String.valueOf(k), v));
    return result;
  }

  private static String string(Map<String, Object> front, String key, String fallback) {
    Object value = front.get(key);
    if (value == null) {
      if (fallback == null) {
        throw new IllegalArgumentException("missing '" + key + "'");
      }
      return fallback;
    }
    if (value instanceof Map || value instanceof List) {
      throw new IllegalArgumentException("'" + key + "' must be text");
    }
    return String.valueOf(value);
  }

  private static List<String> strings(Map<String, Object> front, String key) {
    Object value = front.get(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("'" + key + "' must be a list");
    }
    List<String> items = new ArrayList<>();
    for (Object item : list) {
      if (item == null || item instanceof Map || item instanceof List) {
        throw new IllegalArgumentException("'" + key + "' must be a list of texts");
      }
      items.add(String.valueOf(item).strip());
    }
    return items;
  }

  private static List<NotCovered> notCovered(Map<String, Object> front) {
    Object value = front.get("not_covered");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("'not_covered' must be a list of {topic, refer, questions}");
    }
    List<NotCovered> entries = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException("each 'not_covered' entry must have topic, refer and questions");
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      map.forEach((k, v) -> entry.put(String.valueOf(k), v));
      List<String> unknown = entry.keySet().stream()
          .filter(k -> !Set.of("topic", "refer", "questions").contains(k)).sorted().toList();
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("unknown key(s) " + unknown + " in 'not_covered'; allowed: questions,"
            + " refer, topic");
      }
      entries.add(new NotCovered(string(entry, "topic", null), string(entry, "refer", null),
          strings(entry, "questions")));
    }
    return entries;
  }

  private static LocalDate date(Map<String, Object> front, String key) {
    Object value = front.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Date date) {
      return date.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
    }
    try {
      return LocalDate.parse(String.valueOf(value));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + key + "' must be a date like 2026-01-31, but was '" + value + "'", e);
    }
  }
}
