package org.civicbot.admin.content;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.NotCovered;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An article revision as the admin API reads and writes it. Reading checks every field and refuses the first bad
 * one with a message that names it ({@link FieldException}); unknown fields are refused too, so a typo is not lost.
 */
public final class ArticleJson {
  static final Set<String> FIELDS = Set.of("title", "questions", "keywords", "answer", "spoken", "source_url", "area",
      "valid_from", "valid_until", "not_covered");
  private static final int MAX_QUESTIONS = 100;
  private static final int MAX_KEYWORDS = 100;

  private ArticleJson() {
  }

  /** A bad field; the API answers 400 with the field named. */
  public static final class FieldException extends IllegalArgumentException {
    private final String field;

    FieldException(String field, String message) {
      super(message);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  public static ArticleContent read(String slug, Language lang, JsonObject json) {
    for (String name : json.fieldNames()) {
      if (!FIELDS.contains(name)) {
        throw new FieldException(name, "unknown field '" + name + "'; the fields are " + String.join(", ",
            FIELDS.stream().sorted().toList()));
      }
    }
    ArticleContent.Builder b = ArticleContent.builder().slug(slug).lang(lang)
        .title(string(json, "title", true))
        .area(string(json, "area", true))
        .questions(strings(json, "questions", MAX_QUESTIONS, true))
        .keywords(strings(json, "keywords", MAX_KEYWORDS, false))
        .answer(string(json, "answer", true))
        .spoken(string(json, "spoken", true))
        .sourceUrl(string(json, "source_url", true))
        .validFrom(date(json, "valid_from"))
        .validUntil(date(json, "valid_until"))
        .notCovered(notCovered(json));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "invalid article" : e.getMessage();
      String field = FIELDS.stream().filter(f -> message.startsWith(f) || message.startsWith("not_covered")
          && f.equals("not_covered")).findFirst().orElse(message.startsWith("slug") ? "slug" : "article");
      throw new FieldException(field, message);
    }
  }

  private static String string(JsonObject json, String field, boolean required) {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) {
        throw new FieldException(field, field + " is required");
      }
      return null;
    }
    if (!(value instanceof String s)) {
      throw new FieldException(field, field + " must be a string");
    }
    return s;
  }

  private static List<String> strings(JsonObject json, String field, int max, boolean required) {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) {
        throw new FieldException(field, field + " is required (a list of strings)");
      }
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new FieldException(field, field + " must be a list of strings");
    }
    if (array.size() > max) {
      throw new FieldException(field, field + " lists " + array.size() + " entries; the limit is " + max);
    }
    List<String> list = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof String s) || s.isBlank()) {
        throw new FieldException(field, field + " must hold only non-empty strings");
      }
      list.add(s.strip());
    }
    return list;
  }

  private static LocalDate date(JsonObject json, String field) {
    String value = string(json, field, false);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new FieldException(field, field + " must be a date YYYY-MM-DD, but was '" + value + "'");
    }
  }

  private static List<NotCovered> notCovered(JsonObject json) {
    Object value = json.getValue("not_covered");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new FieldException("not_covered", "not_covered must be a list of {topic, refer, questions}");
    }
    List<NotCovered> list = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof JsonObject n)) {
        throw new FieldException("not_covered", "not_covered must be a list of {topic, refer, questions}");
      }
      try {
        list.add(new NotCovered(n.getValue("topic") instanceof String t ? t : null,
            n.getValue("refer") instanceof String r ? r : null, strings(n, "questions", MAX_QUESTIONS, true)));
      } catch (FieldException e) {
        throw new FieldException("not_covered", "not_covered: " + e.getMessage());
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new FieldException("not_covered", e.getMessage() == null ? "not_covered is invalid" : e.getMessage());
      }
    }
    return list;
  }

  public static JsonObject write(ArticleContent c) {
    JsonArray notCovered = new JsonArray();
    c.notCovered().forEach(n -> notCovered.add(new JsonObject().put("topic", n.topic()).put("refer", n.refer())
        .put("questions", new JsonArray(n.questions()))));
    return new JsonObject()
        .put("slug", c.slug())
        .put("lang", c.lang().code())
        .put("title", c.title())
        .put("area", c.area())
        .put("questions", new JsonArray(c.questions()))
        .put("keywords", new JsonArray(c.keywords()))
        .put("answer", c.answer())
        .put("spoken", c.spoken())
        .put("source_url", c.sourceUrl())
        .put("valid_from", c.validFrom() == null ? null : c.validFrom().toString())
        .put("valid_until", c.validUntil() == null ? null : c.validUntil().toString())
        .put("not_covered", notCovered);
  }

  public static JsonObject write(Article a) {
    return write(a.content())
        .put("revision", a.revision())
        .put("status", a.status().name().toLowerCase(java.util.Locale.ROOT))
        .put("author", a.author())
        .put("createdAt", a.createdAt().toString());
  }

  /** How long the spoken form takes to say, at about 2.5 words a second (espeak-ng at 160 words a minute). */
  public static double spokenSeconds(String spoken) {
    if (spoken == null || spoken.isBlank()) {
      return 0;
    }
    int words = spoken.strip().split("\\s+").length;
    return Math.round(words / (160.0 / 60.0) * 10) / 10.0;
  }
}
