package org.civicbot.knowledge;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an editor writes for one article in one language: everything but the bookkeeping of revisions.
 * Built with {@link #builder()}; invalid content is refused with a message that names the field.
 */
public record ArticleContent(
    String slug,
    Language lang,
    String title,
    String area,
    List<String> questions,
    List<String> keywords,
    String answer,
    String spoken,
    String sourceUrl,
    LocalDate validFrom,
    LocalDate validUntil,
    List<NotCovered> notCovered) {

  public static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");
  public static final int MIN_QUESTIONS = 1;
  public static final int MAX_TEXT = 20_000;
  public static final int MAX_NOT_COVERED = 20;

  public ArticleContent {
    require(slug != null && SLUG.matcher(slug).matches(),
        "slug must be lowercase letters, digits and hyphens, but was '" + slug + "'");
    Objects.requireNonNull(lang, "lang");
    title = text("title", title, 200);
    area = text("area", area, 100);
    questions = List.copyOf(Objects.requireNonNull(questions, "questions"));
    require(questions.size() >= MIN_QUESTIONS, "questions must list at least one phrasing");
    questions.forEach(q -> text("questions", q, 500));
    keywords = keywords == null ? List.of() : List.copyOf(keywords);
    answer = text("answer", answer, MAX_TEXT);
    spoken = text("spoken", spoken, 1_000);
    sourceUrl = text("source_url", sourceUrl, 500);
    require(sourceUrl.startsWith("https://") || sourceUrl.startsWith("http://"),
        "source_url must be an http(s) URL, but was '" + sourceUrl + "'");
    notCovered = notCovered == null ? List.of() : List.copyOf(notCovered);
    require(notCovered.size() <= MAX_NOT_COVERED, "not_covered lists " + notCovered.size() + " topics; the limit is "
        + MAX_NOT_COVERED);
    require(validFrom == null || validUntil == null || !validUntil.isBefore(validFrom),
        "valid_until " + validUntil + " is before valid_from " + validFrom);
  }

  /** Whether the article may be shown on {@code day} (inside its optional validity window). */
  public boolean validOn(LocalDate day) {
    return (validFrom == null || !day.isBefore(validFrom)) && (validUntil == null || !day.isAfter(validUntil));
  }

  private static String text(String field, String value, int max) {
    require(value != null && !value.isBlank(), field + " must not be empty");
    String stripped = value.strip();
    require(stripped.length() <= max, field + " is " + stripped.length() + " characters long; the limit is " + max);
    return stripped;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().slug(slug).lang(lang).title(title).area(area).questions(questions).keywords(keywords)
        .answer(answer).spoken(spoken).sourceUrl(sourceUrl).validFrom(validFrom).validUntil(validUntil).notCovered(notCovered);
  }

  /** Builder for {@link ArticleContent}. */
  public static final class Builder {
    private String slug;
    private Language lang;
    private String title;
    private String area;
    private List<String> questions = List.of();
    private List<String> keywords = List.of();
    private String answer;
    private String spoken;
    private String sourceUrl;
    private LocalDate validFrom;
    private LocalDate validUntil;
    private List<NotCovered> notCovered = List.of();

    public Builder slug(String slug) { this.slug = slug; return this; }
    public Builder lang(Language lang) { this.lang = lang; return this; }
    public Builder title(String title) { this.title = title; return this; }
    public Builder area(String area) { this.area = area; return this; }
    public Builder questions(List<String> questions) { this.questions = questions; return this; }
    public Builder keywords(List<String> keywords) { this.keywords = keywords; return this; }
    public Builder answer(String answer) { this.answer = answer; return this; }
    public Builder spoken(String spoken) { this.spoken = spoken; return this; }
    public Builder sourceUrl(String sourceUrl) { this.sourceUrl = sourceUrl; return this; }
    public Builder validFrom(LocalDate validFrom) { this.validFrom = validFrom; return this; }
    public Builder validUntil(LocalDate validUntil) { this.validUntil = validUntil; return this; }
    public Builder notCovered(List<NotCovered> notCovered) { this.notCovered = notCovered; return this; }

    public ArticleContent build() {
      return new ArticleContent(slug, lang, title, area, questions, keywords, answer, spoken, sourceUrl,
          validFrom, validUntil, notCovered);
    }
  }
}
