package org.civicbot.knowledge.index;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.NotCovered;
import org.civicbot.knowledge.analysis.CivicAnalyzer;
import org.civicbot.knowledge.embedding.TextEmbedder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Every article's phrasings (title and questions) and every not-covered example, analyzed once and weighed by idf
 * once, so a search can ask cheaply how much of a phrasing a question contains. Immutable.
 */
final class Phrasings {

  static final Phrasings EMPTY = new Phrasings(Map.of(), List.of());

  /** One analyzed phrasing: per word position its word, its compound parts and its idf. */
  private record Phrase(String[] words, String[][] parts, double[] weights, double total) {

    static Phrase of(List<Set<String>> positions, ToDoubleFunction<String> idf) {
      int n = positions.size();
      String[] words = new String[n];
      String[][] parts = new String[n][];
      double[] weights = new double[n];
      double total = 0;
      for (int i = 0; i < n; i++) {
        List<String> terms = new ArrayList<>(positions.get(i));
        words[i] = terms.get(0);
        parts[i] = terms.subList(1, terms.size()).toArray(String[]::new);
        for (String term : terms) {
          weights[i] = Math.max(weights[i], idf.applyAsDouble(term));
        }
        total += weights[i];
      }
      return new Phrase(words, parts, weights, total);
    }

    /**
     * The idf-weighted share of this phrasing's words the question holds. A phrasing's word counts when the question
     * holds it (as a word or as a part of one of its compounds); a phrasing's compound whose part the question holds
     * as a word counts by the share of letters the part makes up ("kort" covers little of "sundhedskort"); parts
     * meeting parts count nothing ("kreditkort" and "sundhedskort" share only "kort").
     */
    double share(QueryWords query) {
      if (total == 0) {
        return 0;
      }
      double found = 0;
      for (int i = 0; i < words.length; i++) {
        double hit = 0;
        if (query.words().contains(words[i]) || query.parts().contains(words[i])) {
          hit = 1;
        } else {
          for (String part : parts[i]) {
            if (query.words().contains(part)) {
              hit = Math.max(hit, (double) part.length() / words[i].length());
            }
          }
        }
        found += weights[i] * hit;
      }
      return found / total;
    }
  }

  private record Negative(String slug, int topic, String key, Phrase phrase, float[] vector, double norm) {
  }

  private final Map<String, List<Phrase>> bySlug;
  private final List<Negative> negatives;

  private Phrasings(Map<String, List<Phrase>> bySlug, List<Negative> negatives) {
    this.bySlug = bySlug;
    this.negatives = negatives;
  }

  /** {@code embedder} null: no vectors for the not-covered examples. {@code idf}: the index's weight of a term. */
  static Phrasings of(CivicAnalyzer analyzer, Collection<Article> articles, TextEmbedder embedder,
                      ToDoubleFunction<String> idf) {
    Map<String, List<Phrase>> bySlug = new HashMap<>();
    List<Negative> negatives = new ArrayList<>();
    for (Article article : articles) {
      ArticleContent c = article.content();
      List<Phrase> phrases = new ArrayList<>();
      List<String> texts = new ArrayList<>(c.questions());
      texts.add(c.title());
      for (String text : texts) {
        List<Set<String>> positions = QueryTerms.analyze(analyzer, text).positions();
        if (!positions.isEmpty()) {
          phrases.add(Phrase.of(positions, idf));
        }
      }
      bySlug.put(c.slug(), List.copyOf(phrases));
      for (int i = 0; i < c.notCovered().size(); i++) {
        NotCovered n = c.notCovered().get(i);
        for (String q : n.questions()) {
          Phrase phrase = Phrase.of(QueryTerms.analyze(analyzer, q).positions(), idf);
          float[] vector = embedder == null ? null : embedder.embed(q);
          negatives.add(new Negative(c.slug(), i, c.slug() + "#" + i, phrase, vector, norm(vector)));
        }
      }
    }
    return new Phrasings(Map.copyOf(bySlug), List.copyOf(negatives));
  }

  /** The best share of one of {@code slug}'s phrasings that the question holds. */
  double bestMatch(String slug, QueryWords query) {
    double best = 0;
    for (Phrase phrase : bySlug.getOrDefault(slug, List.of())) {
      best = Math.max(best, phrase.share(query));
    }
    return best;
  }

  /** The not-covered example most like the question, by the stronger of word share and cosine. */
  Optional<IndexSearch.NegativeMatch> bestNegative(QueryWords query, float[] queryVector, Predicate<String> exclude) {
    IndexSearch.NegativeMatch best = null;
    double queryNorm = norm(queryVector);
    for (Negative n : negatives) {
      if (exclude.test(n.key())) {
        continue;
      }
      double share = n.phrase().share(query);
      double cosine = queryVector == null || n.vector() == null ? Double.NaN
          : dot(queryVector, n.vector()) / (queryNorm * n.norm());
      IndexSearch.NegativeMatch match = new IndexSearch.NegativeMatch(n.slug(), n.topic(), share, cosine);
      if (best == null || match.strength() > best.strength()) {
        best = match;
      }
    }
    return best == null || best.strength() == 0 ? Optional.empty() : Optional.of(best);
  }

  /** A question's words and the parts of its compounds. */
  record QueryWords(Set<String> words, Set<String> parts) {
    static QueryWords of(List<Set<String>> positions) {
      Set<String> words = new HashSet<>();
      Set<String> parts = new HashSet<>();
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

  private static double norm(float[] v) {
    if (v == null) {
      return 0;
    }
    double n = Math.sqrt(dot(v, v));
    return n == 0 ? 1 : n;
  }

  private static double dot(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }
}
