package org.civicbot.knowledge.retrieval;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.index.KnowledgeIndex;
import org.civicbot.knowledge.index.Signals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ranks the articles of one index for a question by fusing its signals linearly:
 * {@code score = lexical * bm25/maxBm25 + coverage * share + vector * scaledCosine}, and judges the answer by
 * {@code confidence = (coverage * share + vector * scaledCosine) / (coverage + vector)}: both parts are absolute,
 * unlike BM25, so the same threshold holds for every question. Blocking: call from a worker thread.
 */
public final class HybridRetriever {

  private final KnowledgeIndex index;
  private final Map<String, Article> articles;
  private final List<Article> articleList;
  private final RetrievalSettings settings;

  /** {@code articles}: the published articles the index was built from, by slug. */
  public HybridRetriever(KnowledgeIndex index, Map<String, Article> articles, RetrievalSettings settings) {
    this.index = index;
    this.articles = Map.copyOf(articles);
    this.articleList = List.copyOf(articles.values());
    this.settings = settings;
  }

  public Language language() {
    return index.language();
  }

  public Optional<Article> article(String slug) {
    return Optional.ofNullable(articles.get(slug));
  }

  /** The published articles the index was built from, in one list made when this retriever was. */
  public List<Article> articleList() {
    return articleList;
  }

  public RetrievalSettings settings() {
    return settings;
  }

  public Retrieval retrieve(String question, LocalDate today) {
    List<Signals> candidates = index.search(question).stream()
        .filter(s -> articles.containsKey(s.slug()) && articles.get(s.slug()).content().validOn(today))
        .toList();
    double maxLexical = candidates.stream().mapToDouble(this::lexical).max().orElse(0);
    List<RetrievalHit> hits = new ArrayList<>();
    for (Signals s : candidates) {
      double lexical = maxLexical == 0 ? 0 : lexical(s) / maxLexical;
      double vector = s.hasVector() ? scaled(s.vectorCosine()) : 0;
      double vectorWeight = s.hasVector() ? settings.vectorWeight() : 0;
      double score = settings.lexicalWeight() * lexical + settings.coverageWeight() * s.coverage()
          + vectorWeight * vector;
      double confidenceWeights = settings.coverageWeight() + vectorWeight;
      double confidence = (settings.coverageWeight() * s.coverage() + vectorWeight * vector) / confidenceWeights;
      hits.add(new RetrievalHit(articles.get(s.slug()), score, confidence, s));
    }
    hits.sort(Comparator.comparingDouble(RetrievalHit::score).reversed().thenComparing(RetrievalHit::slug));
    return new Retrieval(question, index.language(), hits.subList(0, Math.min(settings.maxHits(), hits.size())),
        settings);
  }

  private double lexical(Signals s) {
    return s.articleBm25() + settings.phraseWeight() * s.phraseBm25();
  }

  private double scaled(double cosine) {
    double x = (cosine - settings.vectorFloor()) / (settings.vectorCeiling() - settings.vectorFloor());
    return Math.max(0, Math.min(1, x));
  }
}
