package org.civicbot.knowledge.decision;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Concept;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.NotCovered;
import org.civicbot.knowledge.embedding.TextEmbedder;
import org.civicbot.knowledge.index.KnowledgeIndex;
import org.civicbot.knowledge.retrieval.HybridRetriever;
import org.civicbot.knowledge.retrieval.RetrievalHit;
import org.civicbot.knowledge.retrieval.RetrievalSettings;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Learns an {@link AnswerModel} for one tenant and language from its knowledge base alone:
 * <ul>
 *   <li><b>held-out phrasings</b>: the phrasings are split into {@value #FOLDS} folds; each fold is asked of an index
 *       built without it, so a phrasing meets its article as a new question would (the right candidate is a
 *       positive, the others negatives);</li>
 *   <li><b>removed articles</b>: the articles are split into folds; the phrasings of each fold are asked of an index
 *       without those articles: what the retriever says when the right article does not exist (all negatives);</li>
 *   <li><b>not-covered examples</b>: asked of the whole index, with their own topic left out of the not-covered
 *       examples (all negatives);</li>
 *   <li><b>topic-less questions</b>: phrasings with their {@value #TOPIC_WORDS} rarest words taken out ("how much
 *       does a ... cost?"), asked of the whole index: a question that names no topic is declined (all
 *       negatives);</li>
 *   <li><b>off-topic questions</b>: the bundled {@link OffTopicQuestions} (other authorities, companies, everyday
 *       matters), asked of the whole index (all negatives).</li>
 * </ul>
 * Logistic regression is fitted by full-batch gradient descent from {@link AnswerModel#DEFAULT} with a fixed number
 * of steps, so the same knowledge base gives the same model. The answer threshold is the one that maximizes the mean
 * of "answered right" over held-out phrasings and "declined" over removed articles and not-covered examples. A
 * cross-validation over two halves of the articles reports how the learned decision does on articles it was not
 * fitted on. Blocking and CPU-heavy (a few seconds): call from a worker thread.
 */
public final class AnswerModelTrainer {

  static final int FOLDS = 4;
  /** At most this many phrasings of an article are asked as held-out questions (spread over the folds). */
  static final int HELD_OUT_PER_ARTICLE = 10;
  /** At most this many phrasings of a removed article are asked. */
  static final int REMOVED_PER_ARTICLE = 5;
  static final int MIN_QUESTIONS = 40;
  /** How many of a phrasing's rarest words are taken out to make a topic-less question. */
  static final int TOPIC_WORDS = 2;
  /** At most this many topic-less questions are made of an article's phrasings. */
  static final int TOPICLESS_PER_ARTICLE = 3;
  /**
   * The share of citizens' questions assumed to have no article, when the threshold is chosen: a prior, not fitted
   * to any question set (municipal assistants report that roughly one question in four to six is out of scope).
   */
  static final double OUT_OF_SCOPE_SHARE = 0.3;
  private static final int NEWTON_STEPS = 25;
  /** How many times as probable as the next candidate the best may need to be for the lower lead threshold. */
  private static final double[] LEAD_RATIOS = {2, 3, 5, 8};
  /** How strongly the weights are pulled towards the default model's (a Gaussian prior, as many examples' worth). */
  private static final double PRIOR_STRENGTH = 5.0;

  enum Kind { HELD_OUT, REMOVED, NOT_COVERED, TOPICLESS, OFF_TOPIC }

  /** One question asked in training, with its judged candidates. */
  record Example(Kind kind, String owner, int ownerIndex, List<double[]> features, List<Boolean> labels) {
  }

  /**
   * How the learned decision did on articles it was not fitted on.
   *
   * @param heldOut          held-out phrasings asked
   * @param heldOutRight     ... answered with their own article
   * @param heldOutTop1      ... whose own article was ranked first (answered or not)
   * @param removed          phrasings of removed articles asked
   * @param removedDeclined  ... declined
   * @param notCovered       not-covered examples asked
   * @param notCoveredDeclined ... declined
   * @param topicless        topic-less questions asked
   * @param topiclessDeclined ... declined
   */
  public record CrossValidation(int heldOut, int heldOutRight, int heldOutTop1, int removed, int removedDeclined,
                                int notCovered, int notCoveredDeclined, int topicless, int topiclessDeclined,
                                int offTopic, int offTopicDeclined) {

    static final CrossValidation NONE = new CrossValidation(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public CrossValidation plus(CrossValidation o) {
      return new CrossValidation(heldOut + o.heldOut, heldOutRight + o.heldOutRight, heldOutTop1 + o.heldOutTop1,
          removed + o.removed, removedDeclined + o.removedDeclined, notCovered + o.notCovered,
          notCoveredDeclined + o.notCoveredDeclined, topicless + o.topicless, topiclessDeclined + o.topiclessDeclined,
          offTopic + o.offTopic, offTopicDeclined + o.offTopicDeclined);
    }

    /** Correct decisions over every question asked. */
    public double accuracy() {
      int all = heldOut + removed + notCovered + topicless + offTopic;
      return all == 0 ? 0
          : (double) (heldOutRight + removedDeclined + notCoveredDeclined + topiclessDeclined + offTopicDeclined) / all;
    }

    /** The share of questions that have no article (removed, not covered, topic-less, off-topic) that were declined. */
    public double declined() {
      int all = removed + notCovered + topicless + offTopic;
      return all == 0 ? 1
          : (double) (removedDeclined + notCoveredDeclined + topiclessDeclined + offTopicDeclined) / all;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.1f %% correct (held-out phrasings answered right %d/%d, ranked first %d;"
              + " removed articles declined %d/%d; not-covered declined %d/%d; topic-less declined %d/%d;"
              + " off-topic declined %d/%d)",
          100 * accuracy(), heldOutRight, heldOut, heldOutTop1, removedDeclined, removed, notCoveredDeclined,
          notCovered, topiclessDeclined, topicless, offTopicDeclined, offTopic);
    }
  }

  /** A learned model and how it was learned. */
  public record Result(AnswerModel model, CrossValidation crossValidation, int questions, long millis) {
  }

  private AnswerModelTrainer() {
  }

  /** Learns the model of {@code articles} (one language's published articles) with {@code concepts}. */
  public static Result train(Language lang, Collection<Article> articles, List<Concept> concepts,
                             TextEmbedder embedder, RetrievalSettings settings, LocalDate today) {
    long start = System.nanoTime();
    List<Article> sorted = articles.stream().sorted(Comparator.comparing(Article::slug)).toList();
    List<Example> examples = examples(lang, sorted, concepts, embedder, settings, today);
    // the knowledge base's own questions decide whether there is enough to learn from (the off-topic ones are the same
    // for every knowledge base)
    if (examples.stream().filter(e -> e.kind() != Kind.OFF_TOPIC).count() < MIN_QUESTIONS
        || examples.stream().noneMatch(e -> e.kind() == Kind.HELD_OUT)) {
      return new Result(AnswerModel.DEFAULT, CrossValidation.NONE, examples.size(),
          (System.nanoTime() - start) / 1_000_000);
    }
    CrossValidation cv = CrossValidation.NONE;
    for (int half = 0; half < 2; half++) {
      int h = half;
      AnswerModel fitted = fit(examples.stream().filter(e -> e.ownerIndex() % 2 != h).toList(), "half");
      cv = cv.plus(evaluate(fitted, examples.stream().filter(e -> e.ownerIndex() % 2 == h).toList()));
    }
    AnswerModel model = fit(examples, String.format(Locale.ROOT, "learned from %d questions", examples.size()));
    return new Result(model, cv, examples.size(), (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * Every training question with its judged candidates. The variants of the knowledge base are independent and are
   * judged in parallel; the examples keep a fixed order, so the model does not depend on the threads.
   */
  private static List<Example> examples(Language lang, List<Article> articles, List<Concept> concepts,
                                        TextEmbedder embedder, RetrievalSettings settings, LocalDate today) {
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < articles.size(); i++) {
      index.put(articles.get(i).slug(), i);
    }
    int removedFolds = articles.size() > FOLDS ? FOLDS : 0;
    List<List<Example>> parts = java.util.stream.IntStream.range(0, FOLDS + removedFolds + 1).parallel()
        .mapToObj(part -> part < FOLDS
            ? heldOut(lang, articles, concepts, embedder, settings, today, index, part)
            : part < FOLDS + removedFolds
            ? removed(lang, articles, concepts, embedder, settings, today, index, part - FOLDS)
            : whole(lang, articles, concepts, embedder, settings, today, index))
        .toList();
    List<Example> examples = new ArrayList<>();
    parts.forEach(examples::addAll);
    return examples;
  }

  /** The phrasings of fold {@code f}, asked of an index without them. */
  private static List<Example> heldOut(Language lang, List<Article> articles, List<Concept> concepts,
                                       TextEmbedder embedder, RetrievalSettings settings, LocalDate today,
                                       Map<String, Integer> index, int f) {
    List<Example> examples = new ArrayList<>();
    List<Article> kept = new ArrayList<>();
    Map<String, List<String>> asked = new LinkedHashMap<>();
    for (Article a : articles) {
      List<String> questions = a.content().questions();
      List<String> remaining = new ArrayList<>();
      List<String> out = new ArrayList<>();
      for (int i = 0; i < questions.size(); i++) {
        (i % FOLDS == f && i < HELD_OUT_PER_ARTICLE ? out : remaining).add(questions.get(i));
      }
      if (remaining.isEmpty()) {
        remaining = out;
        out = List.of();
      }
      kept.add(withQuestions(a, remaining));
      if (!out.isEmpty()) {
        asked.put(a.slug(), out);
      }
    }
    try (Trial trial = new Trial(lang, kept, concepts, embedder, settings)) {
      asked.forEach((slug, questions) -> questions.forEach(q -> examples.add(
          trial.ask(Kind.HELD_OUT, slug, index.get(slug), q, today, key -> false))));
    }
    return examples;
  }

  /** Phrasings of the articles of fold {@code fold}, asked of an index without those articles. */
  private static List<Example> removed(Language lang, List<Article> articles, List<Concept> concepts,
                                       TextEmbedder embedder, RetrievalSettings settings, LocalDate today,
                                       Map<String, Integer> index, int fold) {
    List<Example> examples = new ArrayList<>();
    List<Article> kept = new ArrayList<>();
    List<Article> removed = new ArrayList<>();
    for (int i = 0; i < articles.size(); i++) {
      (i % FOLDS == fold ? removed : kept).add(articles.get(i));
    }
    try (Trial trial = new Trial(lang, kept, concepts, embedder, settings)) {
      for (Article a : removed) {
        List<String> questions = a.content().questions();
        int step = Math.max(1, questions.size() / REMOVED_PER_ARTICLE);
        for (int i = 0, n = 0; i < questions.size() && n < REMOVED_PER_ARTICLE; i += step, n++) {
          examples.add(trial.ask(Kind.REMOVED, a.slug(), index.get(a.slug()), questions.get(i), today,
              key -> false));
        }
      }
    }
    return examples;
  }

  /** Topic-less phrasings and not-covered examples, asked of the whole index. */
  private static List<Example> whole(Language lang, List<Article> articles, List<Concept> concepts,
                                     TextEmbedder embedder, RetrievalSettings settings, LocalDate today,
                                     Map<String, Integer> index) {
    List<Example> examples = new ArrayList<>();
    Map<String, Integer> frequency = wordFrequency(articles);
    try (Trial trial = new Trial(lang, articles, concepts, embedder, settings)) {
      for (Article a : articles) {
        List<String> questions = a.content().questions();
        int step = Math.max(1, questions.size() / TOPICLESS_PER_ARTICLE);
        for (int i = 0, n = 0; i < questions.size() && n < TOPICLESS_PER_ARTICLE; i += step) {
          String topicless = withoutRarestWords(questions.get(i), frequency);
          if (!topicless.isBlank()) {
            examples.add(trial.ask(Kind.TOPICLESS, a.slug(), index.get(a.slug()), topicless, today, key -> false));
            n++;
          }
        }
        List<NotCovered> topics = a.content().notCovered();
        for (int t = 0; t < topics.size(); t++) {
          String own = a.slug() + "#" + t;
          for (String q : topics.get(t).questions()) {
            examples.add(trial.ask(Kind.NOT_COVERED, a.slug(), index.get(a.slug()), q, today, own::equals));
          }
        }
      }
      // a knowledge base too small to learn from keeps the default model: do not ask it hundreds of questions whose
      // every word it lacks (each one a spelling search)
      int phrasings = articles.stream().mapToInt(a -> a.content().questions().size()).sum();
      List<String> offTopic = phrasings < MIN_QUESTIONS ? List.of() : OffTopicQuestions.of(lang);
      for (int i = 0; i < offTopic.size(); i++) {
        // no owner: the halves of the cross-validation take every other one
        examples.add(trial.ask(Kind.OFF_TOPIC, "", i, offTopic.get(i), today, key -> false));
      }
    }
    return examples;
  }

  /** In how many articles each lower-case word occurs (title, phrasings, keywords). */
  private static Map<String, Integer> wordFrequency(List<Article> articles) {
    Map<String, Integer> frequency = new java.util.HashMap<>();
    for (Article a : articles) {
      java.util.Set<String> words = new java.util.HashSet<>();
      List<String> texts = new ArrayList<>(a.content().questions());
      texts.addAll(a.content().keywords());
      texts.add(a.content().title());
      texts.forEach(t -> words.addAll(words(t)));
      words.forEach(w -> frequency.merge(w, 1, Integer::sum));
    }
    return frequency;
  }

  private static List<String> words(String text) {
    return java.util.Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
        .filter(w -> w.length() > 1).toList();
  }

  /**
   * {@code question} without its {@value #TOPIC_WORDS} rarest words (the ones fewest articles hold); empty when
   * fewer than two words would remain.
   */
  static String withoutRarestWords(String question, Map<String, Integer> frequency) {
    List<String> words = words(question);
    List<String> rarest = words.stream().distinct()
        .sorted(Comparator.comparingInt((String w) -> frequency.getOrDefault(w, 0)).thenComparing(w -> w))
        .limit(TOPIC_WORDS).toList();
    List<String> rest = words.stream().filter(w -> !rarest.contains(w)).toList();
    return rest.size() < 2 ? "" : String.join(" ", rest);
  }

  private static Article withQuestions(Article a, List<String> questions) {
    ArticleContent content = a.content().toBuilder().questions(questions).build();
    return new Article(a.tenantId(), content, a.revision(), a.status(), a.author(), a.createdAt());
  }

  /** An in-memory index of one variant of the knowledge base, judged by the default model. */
  private static final class Trial implements AutoCloseable {
    private final KnowledgeIndex index;
    private final HybridRetriever retriever;

    Trial(Language lang, List<Article> articles, List<Concept> concepts, TextEmbedder embedder,
          RetrievalSettings settings) {
      index = KnowledgeIndex.inMemory(lang, embedder);
      index.rebuild(articles, concepts, 1, done -> { });
      Map<String, Article> bySlug = new LinkedHashMap<>();
      articles.forEach(a -> bySlug.put(a.slug(), a));
      retriever = new HybridRetriever(index, bySlug, settings, AnswerModel.DEFAULT);
    }

    Example ask(Kind kind, String owner, int ownerIndex, String question, LocalDate today,
                Predicate<String> excludeNegatives) {
      HybridRetriever.Judged judged = retriever.judge(question, today, excludeNegatives);
      List<double[]> features = new ArrayList<>();
      List<Boolean> labels = new ArrayList<>();
      for (RetrievalHit hit : judged.hits()) {
        features.add(hit.features());
        labels.add(kind == Kind.HELD_OUT && hit.slug().equals(owner));
      }
      return new Example(kind, owner, ownerIndex, features, labels);
    }

    @Override
    public void close() {
      index.close();
    }
  }

  /**
   * Logistic regression with a ridge penalty towards the default model, fitted exactly by Newton's method (a few
   * steps, since there are only {@link AnswerFeatures#SIZE} weights), then the threshold that decides best on the
   * same examples.
   */
  static AnswerModel fit(List<Example> examples, String source) {
    List<double[]> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (Example e : examples) {
      for (int i = 0; i < e.features().size(); i++) {
        xs.add(e.features().get(i));
        ys.add(e.labels().get(i) ? 1.0 : 0.0);
      }
    }
    if (xs.isEmpty()) {
      return AnswerModel.DEFAULT;
    }
    int d = AnswerFeatures.SIZE;
    double[] prior = AnswerModel.DEFAULT.weights();
    double[] w = prior.clone();
    for (int step = 0; step < NEWTON_STEPS; step++) {
      double[] gradient = new double[d];
      double[][] hessian = new double[d][d];
      for (int r = 0; r < xs.size(); r++) {
        double[] x = xs.get(r);
        double p = probability(w, x);
        double err = p - ys.get(r);
        double curvature = Math.max(p * (1 - p), 1e-9);
        for (int j = 0; j < d; j++) {
          gradient[j] += err * x[j];
          for (int k = 0; k <= j; k++) {
            hessian[j][k] += curvature * x[j] * x[k];
          }
        }
      }
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < j; k++) {
          hessian[k][j] = hessian[j][k];
        }
        // a ridge towards the default model: a small knowledge base stays near it, a large one decides itself
        gradient[j] += PRIOR_STRENGTH * (w[j] - prior[j]);
        hessian[j][j] += PRIOR_STRENGTH;
      }
      double[] delta = solve(hessian, gradient);
      double change = 0;
      for (int j = 0; j < d; j++) {
        w[j] -= delta[j];
        change = Math.max(change, Math.abs(delta[j]));
      }
      if (change < 1e-6) {
        break;
      }
    }
    AnswerModel weighed = new AnswerModel(w, 0.5, source);
    List<Decided> decided = examples.stream().map(e -> decide(weighed, e)).toList();
    double bestThreshold = 0.5;
    double bestScore = -1;
    for (int t = 20; t <= 90; t++) {
      double threshold = t / 100.0;
      // ties go to the lower threshold: of equal decisions, the one that answers more
      double score = expectedAccuracy(decided, new AnswerModel(w, threshold, source));
      if (score > bestScore + 1e-9) {
        bestScore = score;
        bestThreshold = threshold;
      }
    }
    // then the lead rule: a lower threshold for a clear winner, kept only where it decides better
    AnswerModel best = new AnswerModel(w, bestThreshold, source);
    for (double ratio : LEAD_RATIOS) {
      for (int t = (int) Math.ceil(bestThreshold * 50); t < Math.round(bestThreshold * 100); t++) {
        AnswerModel candidate = new AnswerModel(w, bestThreshold, t / 100.0, ratio, source);
        double score = expectedAccuracy(decided, candidate);
        if (score > bestScore + 1e-9) {
          bestScore = score;
          best = candidate;
        }
      }
    }
    return best;
  }

  private static double probability(double[] w, double[] x) {
    double z = 0;
    for (int j = 0; j < w.length; j++) {
      z += w[j] * x[j];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /** Solves {@code a x = b} by Gaussian elimination with partial pivoting ({@code a} is small and positive definite). */
  static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, m[i], 0, n);
      m[i][n] = b[i];
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = m[col];
      m[col] = m[pivot];
      m[pivot] = t;
      for (int r = col + 1; r < n; r++) {
        double f = m[r][col] / m[col][col];
        for (int c = col; c <= n; c++) {
          m[r][c] -= f * m[col][c];
        }
      }
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double sum = m[i][n];
      for (int j = i + 1; j < n; j++) {
        sum -= m[i][j] * x[j];
      }
      x[i] = sum / m[i][i];
    }
    return x;
  }

  /**
   * One example judged by a model's weights: its kind, the best and the next candidate's probabilities and whether the
   * best is the right one.
   */
  private record Decided(Kind kind, double probability, double next, boolean right) {
  }

  private static Decided decide(AnswerModel model, Example e) {
    int best = -1;
    double bestP = -1;
    double nextP = 0;
    for (int i = 0; i < e.features().size(); i++) {
      double p = model.probability(e.features().get(i));
      if (p > bestP) {
        nextP = Math.max(nextP, bestP);
        bestP = p;
        best = i;
      } else {
        nextP = Math.max(nextP, p);
      }
    }
    return new Decided(e.kind(), bestP, nextP, best >= 0 && e.labels().get(best));
  }

  /**
   * Expected correct decisions of {@code model}'s thresholds when {@value #OUT_OF_SCOPE_SHARE} of the questions have no
   * article: the share of held-out phrasings answered right and the share of the other questions declined, weighed.
   */
  private static double expectedAccuracy(List<Decided> decided, AnswerModel model) {
    int heldOut = 0;
    int right = 0;
    int other = 0;
    int declined = 0;
    for (Decided d : decided) {
      boolean answers = d.probability() >= model.threshold(d.probability(), d.next());
      if (d.kind() == Kind.HELD_OUT) {
        heldOut++;
        right += answers && d.right() ? 1 : 0;
      } else {
        other++;
        declined += answers ? 0 : 1;
      }
    }
    double in = heldOut == 0 ? 1 : (double) right / heldOut;
    double out = other == 0 ? 1 : (double) declined / other;
    return (1 - OUT_OF_SCOPE_SHARE) * in + OUT_OF_SCOPE_SHARE * out;
  }

  static CrossValidation evaluate(AnswerModel model, List<Example> examples) {
    int[] asked = new int[Kind.values().length];
    int[] correct = new int[Kind.values().length];
    int top1 = 0;
    for (Example e : examples) {
      Decided d = decide(model, e);
      boolean answers = d.probability() >= model.threshold(d.probability(), d.next());
      asked[e.kind().ordinal()]++;
      if (e.kind() == Kind.HELD_OUT) {
        top1 += d.right() ? 1 : 0;
        correct[e.kind().ordinal()] += answers && d.right() ? 1 : 0;
      } else {
        correct[e.kind().ordinal()] += answers ? 0 : 1;
      }
    }
    return new CrossValidation(asked[Kind.HELD_OUT.ordinal()], correct[Kind.HELD_OUT.ordinal()], top1,
        asked[Kind.REMOVED.ordinal()], correct[Kind.REMOVED.ordinal()], asked[Kind.NOT_COVERED.ordinal()],
        correct[Kind.NOT_COVERED.ordinal()], asked[Kind.TOPICLESS.ordinal()], correct[Kind.TOPICLESS.ordinal()],
        asked[Kind.OFF_TOPIC.ordinal()], correct[Kind.OFF_TOPIC.ordinal()]);
  }

}
