package org.civicbot.knowledge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.civicbot.knowledge.decision.AnswerModel;
import org.civicbot.knowledge.decision.AnswerModelFile;
import org.civicbot.knowledge.decision.AnswerModelTrainer;
import org.civicbot.knowledge.embedding.TextEmbedder;
import org.civicbot.knowledge.index.KnowledgeIndex;
import org.civicbot.knowledge.retrieval.HybridRetriever;
import org.civicbot.knowledge.retrieval.Retrieval;
import org.civicbot.knowledge.retrieval.RetrievalSettings;
import org.civicbot.knowledge.store.ArticleStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The knowledge base of every tenant: the store is the source of truth, and each tenant and language has a Lucene
 * index that is rebuilt when it is missing or stale at startup and whenever something is published.
 * Blocking index work runs on a dedicated worker pool, never on an event loop.
 */
public final class KnowledgeBase implements KnowledgeView, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KnowledgeBase.class);

  private final ArticleStore store;
  private final Path indexRoot;
  private final TextEmbedder embedder;
  private final RetrievalSettings settings;
  private final Clock clock;
  /** Retrieval and index rebuilds: what a citizen's turn or an editor's publish waits for. */
  private final WorkerExecutor workers;
  /**
   * Learning answer models after a publish: one thread of its own, so a long cross-validation never holds up a
   * citizen's retrieval or the next publish (at start-up, before any turn is served, the models learn in parallel on
   * {@link #workers}).
   */
  private final WorkerExecutor trainer;
  private volatile boolean serving;
  private final Map<String, KnowledgeIndex> indexes = new ConcurrentHashMap<>();
  private final Map<String, HybridRetriever> retrievers = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Integer>> vocabularies = new ConcurrentHashMap<>();
  private final Map<String, Future<Void>> training = new ConcurrentHashMap<>();
  /** The knowledge base version each answer model is being learned for, so one version is learned once. */
  private final Map<String, Long> learningVersion = new ConcurrentHashMap<>();
  private final ExpiringCache<RecentQuestion, Retrieval> recentRetrievals =
      new ExpiringCache<>(TextEmbedder.QUERY_TTL, 10_000);

  private KnowledgeBase(Vertx vertx, ArticleStore store, Path indexRoot, TextEmbedder embedder,
                        RetrievalSettings settings, Clock clock) {
    this.store = store;
    this.indexRoot = indexRoot;
    this.embedder = embedder;
    this.settings = settings;
    this.clock = clock;
    this.workers = vertx.createSharedWorkerExecutor("civicbot-knowledge",
        Math.max(2, Runtime.getRuntime().availableProcessors()));
    this.trainer = vertx.createSharedWorkerExecutor("civicbot-training", 1);
  }

  public static KnowledgeBase create(Vertx vertx, ArticleStore store, Path indexRoot, TextEmbedder embedder,
                                     RetrievalSettings settings, Clock clock) {
    return new KnowledgeBase(vertx, store, indexRoot, embedder, settings, clock);
  }

  public ArticleStore store() {
    return store;
  }

  /**
   * Opens every tenant's indexes, rebuilding the missing or stale ones from the store, and learns the answer models
   * that are not current before it completes.
   */
  public Future<Void> start() {
    return store.tenants().compose(tenants -> {
      Future<Void> chain = Future.succeededFuture();
      for (String tenant : tenants) {
        for (Language lang : Language.values()) {
          chain = chain.compose(ignored -> refresh(tenant, lang, false));
        }
      }
      // the models learn in parallel on the worker pool while the next index is built
      return chain.compose(ignored -> {
        List<Future<Void>> all = new ArrayList<>();
        for (String tenant : tenants) {
          for (Language lang : Language.values()) {
            all.add(trained(tenant, lang));
          }
        }
        return Future.all(all).<Void>mapEmpty().onComplete(done -> serving = true);
      });
    });
  }

  /** Completes when the answer model of the tenant and language is learned from its current knowledge base. */
  public Future<Void> trained(String tenantId, Language lang) {
    return training.getOrDefault(key(tenantId, lang), Future.succeededFuture());
  }

  /**
   * Brings every open index up to date with the store when another process (an import, another replica) published
   * something. Cheap when nothing changed: one small query per tenant and language.
   */
  public Future<Void> refreshStale() {
    embedder.sweepQueries();
    recentRetrievals.sweep();
    return store.tenants().compose(tenants -> {
      Future<Void> chain = Future.succeededFuture();
      for (String tenant : tenants) {
        for (Language lang : Language.values()) {
          chain = chain.compose(ignored -> store.knowledgeVersion(tenant, lang).compose(version -> {
            KnowledgeIndex index = indexes.get(key(tenant, lang));
            return index != null && index.isCurrent(version) ? Future.<Void>succeededFuture()
                : refresh(tenant, lang, false);
          }));
        }
      }
      return chain;
    });
  }

  /** Makes {@code revision} the published one and brings the index up to date before the future completes. */
  public Future<Article> publish(String tenantId, String slug, Language lang, int revision) {
    return store.publish(tenantId, slug, lang, revision)
        .compose(article -> refresh(tenantId, lang, false).map(article));
  }

  /** Takes the article out of what citizens see and brings the index up to date before the future completes. */
  public Future<Boolean> unpublish(String tenantId, String slug, Language lang) {
    return store.unpublish(tenantId, slug, lang)
        .compose(changed -> changed ? refresh(tenantId, lang, false).map(true) : Future.succeededFuture(false));
  }

  /** Replaces the tenant's concept lists and rebuilds its indexes with them when they changed. */
  public Future<Boolean> saveConcepts(String tenantId, List<Concept> concepts) {
    return store.saveConcepts(tenantId, concepts).compose(changed -> !changed ? Future.succeededFuture(false)
        : Future.all(java.util.Arrays.stream(Language.values()).map(l -> refresh(tenantId, l, false)).toList())
            .map(true));
  }

  /** The embedding model the indexes use, for grouping citizens' questions by meaning. */
  public TextEmbedder embedder() {
    return embedder;
  }

  /**
   * Loads the published articles of {@code tenantId} in {@code lang} and rebuilds the index when it does not reflect
   * the store's knowledge version (or always, with {@code force}).
   */
  public Future<Void> refresh(String tenantId, Language lang, boolean force) {
    return store.knowledgeVersion(tenantId, lang).compose(version -> store.published(tenantId, lang)
        .compose(published -> store.concepts(tenantId).compose(concepts -> workers.executeBlocking(() -> {
          String key = key(tenantId, lang);
          KnowledgeIndex index = indexes.computeIfAbsent(key,
              k -> KnowledgeIndex.open(indexRoot.resolve(tenantId).resolve(lang.code()), lang, embedder));
          boolean learn;
          synchronized (index) {
            if (force || !index.isCurrent(version)) {
              long start = System.nanoTime();
              int total = published.size();
              index.rebuild(published, concepts, version, done -> {
                if (done % 20 == 0 || done == total) {
                  LOG.info("Indexing {} ({}): {}/{} articles", tenantId, lang.code(), done, total);
                }
              });
              LOG.info("Indexed {} ({}) version {}: {} articles in {} ms", tenantId, lang.code(), version, total,
                  (System.nanoTime() - start) / 1_000_000);
            } else if (!retrievers.containsKey(key)) {
              index.attach(published);
            }
            Map<String, Article> bySlug = new LinkedHashMap<>();
            published.forEach(a -> bySlug.put(a.slug(), a));
            HybridRetriever previous = retrievers.get(key);
            Optional<AnswerModel> stored = AnswerModelFile.read(modelFile(tenantId, lang), version, embedder.name());
            AnswerModel model = stored.orElse(previous == null ? AnswerModel.DEFAULT : previous.model());
            retrievers.put(key, new HybridRetriever(index, bySlug, settings, model));
            vocabularies.put(key, vocabularyOf(published));
            learn = stored.isEmpty();
          }
          if (learn && !Long.valueOf(version).equals(learningVersion.put(key, version))) {
            training.put(key, learn(tenantId, lang, version, published, concepts));
          }
          return null;
        }, false))));
  }

  /** Learns the answer model of one knowledge base version in the background and swaps it in when done. */
  private Future<Void> learn(String tenantId, Language lang, long version, List<Article> published,
                             List<Concept> concepts) {
    String key = key(tenantId, lang);
    return (serving ? trainer : workers).<AnswerModelTrainer.Result>executeBlocking(() -> {
          if (!isIndexedVersion(key, version)) {
            return null; // a newer publish came first; its own model is learned next
          }
          return AnswerModelTrainer.train(lang, published, concepts, embedder, settings, LocalDate.now(clock));
        }, false)
        .map(result -> {
          if (result == null) {
            return (Void) null;
          }
          LOG.info("Answer model of {} ({}) version {}: threshold {}, knowledge-base cross-validation {}; {} ms",
              tenantId, lang.code(), version, result.model().threshold(), result.crossValidation(), result.millis());
          synchronized (indexes.get(key)) {
            if (isIndexedVersion(key, version)) {
              retrievers.put(key, retrievers.get(key).withModel(result.model()));
              AnswerModelFile.write(modelFile(tenantId, lang), version, embedder.name(), result.model());
            }
          }
          return (Void) null;
        })
        .recover(failure -> {
          LOG.error("Could not learn the answer model of {} ({}); the previous one stays in use", tenantId,
              lang.code(), failure);
          return Future.succeededFuture();
        });
  }

  private boolean isIndexedVersion(String key, long version) {
    HybridRetriever current = retrievers.get(key);
    return current != null && current.index().builtFromVersion().filter(v -> v == version).isPresent();
  }

  private Path modelFile(String tenantId, Language lang) {
    return indexRoot.resolve(tenantId).resolve(lang.code() + "-answer-model.json");
  }

  /**
   * The knowledge base as it would be if {@code article} were published in place of the tenant's published revision
   * of its slug (or, with {@code remove}, if that slug were unpublished): an in-memory index of the changed article
   * set with the answer model in use now (a publish learns a new one afterwards), the other tenants and languages as
   * they are. The phrasings' embeddings are cached, so it costs about what a publish's index rebuild does. Close it
   * when done.
   */
  public Future<Candidate> candidate(String tenantId, Language lang, String slug, Optional<Article> article) {
    return store.published(tenantId, lang).compose(published -> store.concepts(tenantId)
        .compose(concepts -> workers.executeBlocking(() -> {
          List<Article> changed = new ArrayList<>();
          published.stream().filter(a -> !a.slug().equals(slug)).forEach(changed::add);
          article.ifPresent(changed::add);
          KnowledgeIndex index = KnowledgeIndex.inMemory(lang, embedder);
          try {
            index.rebuild(changed, concepts, -1, done -> { });
          } catch (RuntimeException e) {
            index.close();
            throw e;
          }
          Map<String, Article> bySlug = new LinkedHashMap<>();
          changed.forEach(a -> bySlug.put(a.slug(), a));
          AnswerModel model = answerModel(tenantId, lang).orElse(AnswerModel.DEFAULT);
          return new Candidate(this, tenantId, lang, index, new HybridRetriever(index, bySlug, settings, model));
        }, false)));
  }

  /** A knowledge base with one tenant's language changed and nothing else: see {@link #candidate}. */
  public static final class Candidate implements KnowledgeView, AutoCloseable {
    private final KnowledgeView live;
    private final String tenantId;
    private final Language lang;
    private final KnowledgeIndex index;
    private final HybridRetriever retriever;
    private final LocalDate today;

    private Candidate(KnowledgeBase live, String tenantId, Language lang, KnowledgeIndex index,
                      HybridRetriever retriever) {
      this.live = live;
      this.tenantId = tenantId;
      this.lang = lang;
      this.index = index;
      this.retriever = retriever;
      this.today = LocalDate.now(live.clock);
    }

    private boolean changed(String tenant, Language language) {
      return tenantId.equals(tenant) && lang == language;
    }

    @Override
    public Retrieval retrieveBlocking(String tenant, Language language, String question) {
      return changed(tenant, language) ? retriever.retrieve(question, today)
          : live.retrieveBlocking(tenant, language, question);
    }

    @Override
    public Optional<Article> published(String tenant, Language language, String slug) {
      return changed(tenant, language) ? retriever.article(slug) : live.published(tenant, language, slug);
    }

    @Override
    public void close() {
      index.close();
    }
  }

  /** The answer model in use for the tenant and language, if its index is open. */
  public Optional<AnswerModel> answerModel(String tenantId, Language lang) {
    return Optional.ofNullable(retrievers.get(key(tenantId, lang))).map(HybridRetriever::model);
  }

  /** Whether {@code tenantId} has a searchable index in every language. */
  public boolean ready(String tenantId) {
    for (Language lang : Language.values()) {
      if (!retrievers.containsKey(key(tenantId, lang))) {
        return false;
      }
    }
    return true;
  }

  /** Ranks the tenant's published articles for {@code question}, off the event loop. */
  public Future<Retrieval> retrieve(String tenantId, Language lang, String question) {
    return workers.executeBlocking(() -> retrieveBlocking(tenantId, lang, question), false);
  }

  /**
   * As {@link #retrieve}, on the calling thread: for worker threads and tools. The same question to the same
   * published knowledge base on the same day is ranked once within {@link TextEmbedder#QUERY_TTL} (many citizens
   * ask the same short questions); publishing makes a new retriever, so no cached ranking outlives its articles.
   */
  @Override
  public Retrieval retrieveBlocking(String tenantId, Language lang, String question) {
    HybridRetriever retriever = retrievers.get(key(tenantId, lang));
    if (retriever == null) {
      throw new IllegalArgumentException("no knowledge base for tenant '" + tenantId + "' in " + lang.code());
    }
    LocalDate today = LocalDate.now(clock);
    return recentRetrievals.get(new RecentQuestion(retriever, question, today),
        q -> retriever.retrieve(question, today));
  }

  /** A question as the retrieval cache knows it: the retriever instance stands for the published articles. */
  private record RecentQuestion(HybridRetriever retriever, String question, LocalDate day) {
    @Override
    public boolean equals(Object o) {
      return o instanceof RecentQuestion q && q.retriever == retriever && q.question.equals(question)
          && q.day.equals(day);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(retriever) * 31 + question.hashCode();
    }
  }

  /**
   * How often each lower-case word occurs in the tenant's published articles in {@code lang} (titles, phrasings,
   * keywords, answers):
   * evidence for telling the languages apart in short messages. Empty before the index is ready.
   */
  public Map<String, Integer> vocabulary(String tenantId, Language lang) {
    return vocabularies.getOrDefault(key(tenantId, lang), Map.of());
  }

  /** Word counts: an English article may quote a Danish term ("passport (pas)"), so presence alone is weak. */
  private static Map<String, Integer> vocabularyOf(List<Article> articles) {
    Map<String, Integer> words = new java.util.HashMap<>();
    for (Article a : articles) {
      ArticleContent c = a.content();
      List<String> texts = new ArrayList<>(c.questions());
      texts.addAll(c.keywords());
      texts.add(c.title());
      texts.add(c.answer());
      for (String text : texts) {
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
          if (!word.isEmpty()) {
            words.merge(word, 1, Integer::sum);
          }
        }
      }
    }
    return Map.copyOf(words);
  }

  /** The published article {@code slug} in {@code lang}, as the index knows it. */
  @Override
  public Optional<Article> published(String tenantId, Language lang, String slug) {
    HybridRetriever retriever = retrievers.get(key(tenantId, lang));
    return retriever == null ? Optional.empty() : retriever.article(slug);
  }

  /**
   * The tenant's published articles in {@code lang} as the index knows them; a new list object after each refresh,
   * so a cache keyed on it notices publishing.
   */
  public List<Article> publishedArticles(String tenantId, Language lang) {
    HybridRetriever retriever = retrievers.get(key(tenantId, lang));
    return retriever == null ? List.of() : retriever.articleList();
  }

  /** The langchain4j view of one tenant's knowledge base in one language. */
  public KnowledgeContentRetriever contentRetriever(String tenantId, Language lang) {
    return new KnowledgeContentRetriever(this, tenantId, lang);
  }

  public RetrievalSettings settings() {
    return settings;
  }

  /** The names of the tenants with indexes open, for diagnostics. */
  public List<String> openIndexes() {
    return new ArrayList<>(indexes.keySet());
  }

  private static String key(String tenantId, Language lang) {
    return tenantId + "/" + lang.code();
  }

  @Override
  public void close() {
    workers.close();
    trainer.close();
    indexes.values().forEach(KnowledgeIndex::close);
    indexes.clear();
    retrievers.clear();
  }
}
