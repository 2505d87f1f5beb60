package org.civicbot.knowledge.retrieval;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.NotCovered;
import org.civicbot.knowledge.decision.AnswerFeatures;
import org.civicbot.knowledge.decision.AnswerModel;
import org.civicbot.knowledge.index.IndexSearch;
import org.civicbot.knowledge.index.KnowledgeIndex;
import org.civicbot.knowledge.index.Signals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Ranks the articles of one index for a question. The index's signals are fused linearly into a ranking score
 * ({@code lexical * bm25/maxBm25 + coverage * share + vector * scaledCosine}) that picks the candidates; the
 * {@link AnswerModel} then gives each candidate the probability that it is the right answer, from
 * {@link AnswerFeatures}, and the candidates are ordered by it. Blocking: call from a worker thread.
 */
public final class HybridRetriever {

  /** How many candidates by ranking score the model judges. */
  static final int JUDGED_CANDIDATES = 8;
  /** A not-covered example must be at least this alike to be named when a question is declined. */
  static final double NOT_COVERED_MIN = 0.4;

  private final KnowledgeIndex index;
  private final Map<String, Article> articles;
  private final List<Article> articleList;
  private final RetrievalSettings settings;
  private final AnswerModel model;

  /** {@code articles}: the published articles the index was built from, by slug. */
  public HybridRetriever(KnowledgeIndex index, Map<String, Article> articles, RetrievalSettings settings,
                         AnswerModel model) {
    this.index = index;
    this.articles = Map.copyOf(articles);
    this.articleList = List.copyOf(articles.values());
    this.settings = settings;
    this.model = model;
  }

  public HybridRetriever(KnowledgeIndex index, Map<String, Article> articles, RetrievalSettings settings) {
    this(index, articles, settings, AnswerModel.DEFAULT);
  }

  /** The same index and articles judged by another model. */
  public HybridRetriever withModel(AnswerModel newModel) {
    return new HybridRetriever(index, articles, settings, newModel);
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

  public AnswerModel model() {
    return model;
  }

  public KnowledgeIndex index() {
    return index;
  }

  /**
   * The probability from which the best candidate is the answer: the operator's setting, else the learned one (a
   * question whose best candidate clearly leads may need less: {@link AnswerModel#threshold(double, double)}).
   */
  public double threshold() {
    return Double.isNaN(settings.answerProbability()) ? model.threshold() : settings.answerProbability();
  }

  public Retrieval retrieve(String question, LocalDate today) {
    return retrieval(question, judge(question, today, key -> false));
  }

  /** The retrieval of {@code question} from its judged candidates: most probable first. */
  public Retrieval retrieval(String question, Judged judged) {
    List<RetrievalHit> hits = new ArrayList<>();
    for (int i = 0; i < judged.hits().size(); i++) {
      hits.add(judged.hits().get(i));
    }
    hits.sort(Comparator.comparingDouble(RetrievalHit::confidence).reversed()
        .thenComparing(Comparator.comparingDouble(RetrievalHit::score).reversed())
        .thenComparing(RetrievalHit::slug));
    Optional<Retrieval.NotCoveredHit> notCovered = notCovered(judged.search(), hits);
    double threshold = !Double.isNaN(settings.answerProbability()) ? settings.answerProbability()
        : hits.isEmpty() ? model.threshold()
        : model.threshold(hits.get(0).confidence(), hits.size() > 1 ? hits.get(1).confidence() : 0);
    return new Retrieval(question, index.language(), hits.subList(0, Math.min(settings.maxHits(), hits.size())),
        threshold, notCovered, judged.search().queryWords(), judged.search().unknownShare(),
        judged.search().corrections());
  }

  /** The candidates of one question with their features and probabilities, in ranking-score order. */
  public record Judged(IndexSearch search, List<RetrievalHit> hits) {
  }

  /**
   * The judged candidates of {@code question}, leaving out the not-covered examples {@code excludeNegatives}
   * accepts (for training).
   */
  public Judged judge(String question, LocalDate today, Predicate<String> excludeNegatives) {
    IndexSearch search = index.search(question, excludeNegatives);
    List<Signals> candidates = search.signals().stream()
        .filter(s -> articles.containsKey(s.slug()) && articles.get(s.slug()).content().validOn(today))
        .toList();
    double maxLexical = candidates.stream().mapToDouble(this::lexical).max().orElse(0);
    List<RetrievalHit> ranked = new ArrayList<>();
    for (Signals s : candidates) {
      double lexical = maxLexical == 0 ? 0 : lexical(s) / maxLexical;
      double vector = s.hasVector() ? scaled(s.vectorCosine()) : 0;
      double vectorWeight = s.hasVector() ? settings.vectorWeight() : 0;
      double score = settings.lexicalWeight() * lexical + settings.coverageWeight() * s.coverage()
          + vectorWeight * vector;
      ranked.add(new RetrievalHit(articles.get(s.slug()), score, 0, s, new double[0]));
    }
    ranked.sort(Comparator.comparingDouble(RetrievalHit::score).reversed().thenComparing(RetrievalHit::slug));
    List<RetrievalHit> top = ranked.subList(0, Math.min(JUDGED_CANDIDATES, ranked.size()));
    List<AnswerFeatures.Candidate> raw = top.stream().map(h -> new AnswerFeatures.Candidate(h.signals().coverage(),
        h.signals().phraseCoverage(), h.signals().hasVector() ? scaled(h.signals().vectorCosine()) : 0,
        lexical(h.signals()), h.score(), h.signals().matchedIdf(), h.signals().rarestCovered())).toList();
    double negative = search.negative().map(IndexSearch.NegativeMatch::strength).orElse(0.0);
    List<RetrievalHit> judged = new ArrayList<>();
    for (int i = 0; i < top.size(); i++) {
      double[] features = AnswerFeatures.of(raw, i, search.queryWords(), search.unknownShare(), negative);
      double[] asFirst = features.clone();
      asFirst[AnswerFeatures.RANKED_FIRST] = 1;
      RetrievalHit h = top.get(i);
      judged.add(new RetrievalHit(h.article(), h.score(), model.probability(features), h.signals(), features,
          model.probability(asFirst)));
    }
    return new Judged(search, judged);
  }

  /**
   * The not-covered topic the question is about, when one of its examples is more alike than any phrasing of the
   * best candidate and alike enough.
   */
  private Optional<Retrieval.NotCoveredHit> notCovered(IndexSearch search, List<RetrievalHit> hits) {
    if (search.negative().isEmpty()) {
      return Optional.empty();
    }
    IndexSearch.NegativeMatch n = search.negative().get();
    Article owner = articles.get(n.slug());
    if (owner == null || n.topic() >= owner.content().notCovered().size() || n.strength() < NOT_COVERED_MIN) {
      return Optional.empty();
    }
    double positive = hits.isEmpty() ? 0 : positiveStrength(hits.get(0));
    if (n.strength() <= positive) {
      return Optional.empty();
    }
    NotCovered topic = owner.content().notCovered().get(n.topic());
    return Optional.of(new Retrieval.NotCoveredHit(owner.slug(), topic, n.strength()));
  }

  private double positiveStrength(RetrievalHit hit) {
    double vector = hit.signals().hasVector() ? scaled(hit.signals().vectorCosine()) : 0;
    return Math.max(hit.signals().phraseCoverage(), vector);
  }

  private double lexical(Signals s) {
    return s.articleBm25() + settings.phraseWeight() * s.phraseBm25();
  }

  private double scaled(double cosine) {
    double x = (cosine - settings.vectorFloor()) / (settings.vectorCeiling() - settings.vectorFloor());
    return Math.max(0, Math.min(1, x));
  }
}
