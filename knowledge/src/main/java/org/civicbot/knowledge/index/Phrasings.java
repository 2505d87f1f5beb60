package org.civicbot.knowledge.index;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.NotCovered;
import org.civicbot.knowledge.analysis.CivicAnalyzer;
import org.civicbot.knowledge.embedding.TextEmbedder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Every article's phrasings (title and questions) and every not-covered example, analyzed once, so a search can ask
 * how much of a phrasing a question contains. Immutable.
 */
final class Phrasings {

  static final Phrasings EMPTY = new Phrasings(Map.of(), List.of());

  /** How much of one phrasing a question holds. */
  record Match(double coverage) {
    static final Match NONE = new Match(0);
  }

  private record Negative(String slug, int topic, List<Set<String>> positions, float[] vector) {
    String key() {
      return slug + "#" + topic;
    }
  }

  private final Map<String, List<List<Set<String>>>> bySlug;
  private final List<Negative> negatives;

  private Phrasings(Map<String, List<List<Set<String>>>> bySlug, List<Negative> negatives) {
    this.bySlug = bySlug;
    this.negatives = negatives;
  }

  /** {@code embedder} null: no vectors for the not-covered examples. */
  static Phrasings of(CivicAnalyzer analyzer, Collection<Article> articles, TextEmbedder embedder) {
    Map<String, List<List<Set<String>>>> bySlug = new HashMap<>();
    List<Negative> negatives = new ArrayList<>();
    for (Article article : articles) {
      ArticleContent c = article.content();
      List<List<Set<String>>> phrases = new ArrayList<>();
      List<String> texts = new ArrayList<>(c.questions());
      texts.add(c.title());
      for (String text : texts) {
        List<Set<String>> positions = QueryTerms.analyze(analyzer, text).positions();
        if (!positions.isEmpty()) {
          phrases.add(positions);
        }
      }
      bySlug.put(c.slug(), List.copyOf(phrases));
      for (int i = 0; i < c.notCovered().size(); i++) {
        NotCovered n = c.notCovered().get(i);
        for (String q : n.questions()) {
          List<Set<String>> positions = QueryTerms.analyze(analyzer, q).positions();
          negatives.add(new Negative(c.slug(), i, positions, embedder == null ? null : embedder.embed(q)));
        }
      }
    }
    return new Phrasings(Map.copyOf(bySlug), List.copyOf(negatives));
  }

  /** The best share of one of {@code slug}'s phrasings that {@code queryTerms} hold. */
  Match bestMatch(String slug, QueryWords queryTerms, ToDoubleFunction<String> idf) {
    double best = 0;
    for (List<Set<String>> phrase : bySlug.getOrDefault(slug, List.of())) {
      best = Math.max(best, share(phrase, queryTerms, idf));
    }
    return best == 0 ? Match.NONE : new Match(best);
  }

  /** The not-covered example most like the question, by the stronger of word share and cosine. */
  Optional<IndexSearch.NegativeMatch> bestNegative(QueryWords queryTerms, float[] queryVector,
                                                   ToDoubleFunction<String> idf, Predicate<String> exclude) {
    IndexSearch.NegativeMatch best = null;
    for (Negative n : negatives) {
      if (exclude.test(n.key())) {
        continue;
      }
      double share = share(n.positions(), queryTerms, idf);
      double cosine = queryVector == null || n.vector() == null ? Double.NaN : cosine(queryVector, n.vector());
      IndexSearch.NegativeMatch match = new IndexSearch.NegativeMatch(n.slug(), n.topic(), share, cosine);
      if (best == null || match.strength() > best.strength()) {
        best = match;
      }
    }
    return best == null || best.strength() == 0 ? Optional.empty() : Optional.of(best);
  }

  /**
   * The idf-weighted share of {@code phrase}'s words the question holds. A phrasing's word counts when the question
   * holds it (as a word or as a part of one of its compounds); a phrasing's compound whose part the question holds as
   * a word counts by the share of letters the part makes up ("kort" covers little of "sundhedskort"); parts meeting
   * parts count nothing ("kreditkort" and "sundhedskort" share only "kort").
   */
  private static double share(List<Set<String>> phrase, QueryWords query, ToDoubleFunction<String> idf) {
    double total = 0;
    double found = 0;
    for (Set<String> position : phrase) {
      double weight = 0;
      String word = null;
      double hit = 0;
      for (String term : position) {
        weight = Math.max(weight, idf.applyAsDouble(term));
        if (word == null) {
          word = term;
          if (query.words().contains(term) || query.parts().contains(term)) {
            hit = 1;
          }
        } else if (query.words().contains(term)) {
          hit = Math.max(hit, (double) term.length() / word.length());
        }
      }
      total += weight;
      found += weight * hit;
    }
    return total == 0 ? 0 : found / total;
  }

  /** A question's words and the parts of its compounds. */
  record QueryWords(Set<String> words, Set<String> parts) {
    static QueryWords of(List<Set<String>> positions) {
      Set<String> words = new java.util.HashSet<>();
      Set<String> parts = new java.util.HashSet<>();
      for (Set<String> position : positions) {
        boolean first = true;
        for (String term : position) {
          (first ? words : parts).add(term);
          first = false;
        }
      }
      return new QueryWords(words, parts);
    }
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
