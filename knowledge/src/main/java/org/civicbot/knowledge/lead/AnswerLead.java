package org.civicbot.knowledge.lead;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.analysis.CivicAnalyzer;
import org.civicbot.knowledge.embedding.TextEmbedder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The part of an article that answers the question: its introduction and the one section ({@code ## Heading}) that
 * matches best, so a long guide is answered with what was asked (the price, when the price was asked) and the whole
 * guide folded behind it. A section is scored by the question's words it holds (stemmed as the index stems them,
 * rarer words among the article's sections counting more, a word in the heading half again as much), by the meaning of question and section (the embedding model, for the languages it supports), and by the kind of answer asked for:
 * a question about a price prefers a section that states amounts, one about time a section that states durations.
 * Without any signal the first section leads. Short articles (fewer than two sections, or under
 * {@link #MIN_CHARS} characters) are answered whole. Blocking (the embedding): call from a worker thread.
 */
public final class AnswerLead {
  /** Below this length an article is short enough to show whole. */
  public static final int MIN_CHARS = 700;
  private static final double HEADING_WEIGHT = 1.5;
  private static final double MEANING_WEIGHT = 1.0;
  private static final double KIND_WEIGHT = 0.5;

  private static final Pattern ASKS_PRICE = Pattern.compile(
      "\\b(price|prices|cost|costs|costing|fee|fees|how much|pay|charge|charged|expensive|cheap|cheaper|free"
          + "|pris|priser|prisen|koster|kostede|gebyr|gebyret|betale|betaler|hvor meget|gratis|billig|billigere|dyr)\\b",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern STATES_AMOUNT = Pattern.compile(
      "(\\b(DKK|kr\\.?|kroner)\\s*\\d|\\d[\\d.,]*\\s*(DKK|kr\\b|kr\\.|kroner)|\\bfree of charge\\b|\\bgratis\\b)",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern ASKS_TIME = Pattern.compile(
      "\\b(how long|when|how soon|how many (days|weeks|months)|deadline|waiting time|processing time"
          + "|hvor lang|hvornår|hvornaar|hvor længe|frist|fristen|ventetid|sagsbehandlingstid)\\b",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern STATES_DURATION = Pattern.compile(
      "\\b\\d+\\s*(days?|weeks?|months?|years?|hours?|working days|dage|dag|uger|uge|måneder|måned|år|timer|hverdage)\\b",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

  /** One section of an article: its heading and its Markdown (the heading line included). */
  public record Section(String heading, String markdown) {
  }

  /** An article's Markdown split at its {@code ## } headings. */
  public record Parts(String intro, List<Section> sections) {
    public Parts {
      sections = List.copyOf(sections);
    }
  }

  /** The lead of an answer: the Markdown to show first, and the section it chose ({@code score} for the trace). */
  public record Lead(String markdown, String heading, double score) {
  }

  private final Optional<TextEmbedder> embedder;

  public AnswerLead(Optional<TextEmbedder> embedder) {
    this.embedder = embedder;
  }

  /** Splits {@code markdown} at its second-level headings; text before the first is the introduction. */
  public static Parts split(String markdown) {
    StringBuilder intro = new StringBuilder();
    List<Section> sections = new ArrayList<>();
    String heading = null;
    StringBuilder current = new StringBuilder();
    boolean fenced = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      }
      if (!fenced && line.startsWith("## ")) {
        if (heading != null) {
          sections.add(new Section(heading, current.toString().strip()));
        }
        heading = line.substring(3).strip();
        current = new StringBuilder();
      }
      (heading == null ? intro : current).append(line).append('\n');
    }
    if (heading != null) {
      sections.add(new Section(heading, current.toString().strip()));
    }
    return new Parts(intro.toString().strip(), sections);
  }

  /** The lead for {@code question} of an answer in {@code lang}; empty when the answer is short enough to show whole. */
  public Optional<Lead> lead(Language lang, String question, String answer) {
    Parts parts = split(answer);
    if (parts.sections().size() < 2 || answer.length() < MIN_CHARS) {
      return Optional.empty();
    }
    double[] scores = scores(lang, question, parts.sections());
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    Section section = parts.sections().get(best);
    String markdown = parts.intro().isEmpty() ? section.markdown() : parts.intro() + "\n\n" + section.markdown();
    return Optional.of(new Lead(markdown, section.heading(), Math.round(scores[best] * 1000) / 1000.0));
  }

  /** Each section's score for {@code question}; all 0 when nothing points anywhere. */
  double[] scores(Language lang, String question, List<Section> sections) {
    List<String> texts = sections.stream().map(Section::markdown).toList();
    CivicAnalyzer analyzer = CivicAnalyzer.create(lang, CivicAnalyzer.vocabulary(lang, texts));
    Set<String> asked = terms(analyzer, question);
    List<Set<String>> headings = new ArrayList<>();
    List<Set<String>> bodies = new ArrayList<>();
    Map<String, Integer> df = new HashMap<>();
    for (Section s : sections) {
      Set<String> heading = terms(analyzer, s.heading());
      Set<String> body = terms(analyzer, s.markdown());
      headings.add(heading);
      bodies.add(body);
      Set<String> all = new HashSet<>(heading);
      all.addAll(body);
      all.forEach(t -> df.merge(t, 1, Integer::sum));
    }
    int n = sections.size();
    double possible = asked.stream().filter(df::containsKey).count() * HEADING_WEIGHT * Math.log(n + 1.0);
    boolean price = ASKS_PRICE.matcher(question).find();
    boolean time = ASKS_TIME.matcher(question).find();
    Optional<float[]> q = embedder.filter(e -> e.supports(lang)).map(e -> e.embedQuery(question));
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      double lexical = 0;
      for (String t : asked) {
        Integer d = df.get(t);
        if (d == null) {
          continue;
        }
        double idf = Math.log((n + 1.0) / d);
        lexical += headings.get(i).contains(t) ? HEADING_WEIGHT * idf : bodies.get(i).contains(t) ? idf : 0;
      }
      double score = possible > 0 ? lexical / possible : 0;
      String text = sections.get(i).markdown();
      if (price && STATES_AMOUNT.matcher(text).find()) {
        score += KIND_WEIGHT;
      }
      if (time && STATES_DURATION.matcher(text).find()) {
        score += KIND_WEIGHT;
      }
      if (q.isPresent()) {
        score += MEANING_WEIGHT * Math.max(0, cosine(q.get(), embedder.get().embed(text)));
      }
      scores[i] = score;
    }
    return scores;
  }

  private static Set<String> terms(CivicAnalyzer analyzer, String text) {
    Set<String> terms = new HashSet<>();
    try (TokenStream ts = analyzer.tokenStream("text", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        terms.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return terms;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
