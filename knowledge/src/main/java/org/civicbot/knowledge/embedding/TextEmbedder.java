package org.civicbot.knowledge.embedding;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import org.civicbot.knowledge.ExpiringCache;
import org.civicbot.knowledge.Language;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A langchain4j {@link EmbeddingModel} with the facts retrieval needs: a name (an index built with another model is
 * stale), the languages whose meaning it captures, and a cache, since the same phrasings are embedded on every rebuild.
 * Blocking: call from a worker thread.
 */
public final class TextEmbedder {
  public static final String DEFAULT_MODEL = "all-minilm-l6-v2-q";
  private static final int CACHE_SIZE = 50_000;

  private final String name;
  private final EmbeddingModel model;
  private final Set<Language> languages;
  private final Map<String, float[]> cache = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
      return size() > CACHE_SIZE;
    }
  });

  /** How long a citizen's question stays in the query cache (far below any retention period). */
  public static final java.time.Duration QUERY_TTL = java.time.Duration.ofMinutes(10);
  /** Citizens' questions, kept apart from the knowledge base's phrasings and only for {@link #QUERY_TTL}. */
  private final ExpiringCache<String, float[]> queries = new ExpiringCache<>(QUERY_TTL, 10_000);

  private TextEmbedder(String name, EmbeddingModel model, Set<Language> languages) {
    this.name = name;
    this.model = model;
    this.languages = Set.copyOf(languages);
  }

  /**
   * The bundled English model (all-MiniLM-L6-v2, quantized, shipped in its Maven artifact). It carries no useful
   * signal for Danish, so it declares English only.
   */
  public static TextEmbedder bundled() {
    return bundled(Set.of(Language.EN));
  }

  /** The bundled model, trusted only for {@code languages} (none: retrieval is lexical only). */
  public static TextEmbedder bundled(Set<Language> languages) {
    return new TextEmbedder(DEFAULT_MODEL, new AllMiniLmL6V2QuantizedEmbeddingModel(daemonExecutor()), languages);
  }

  /**
   * An operator's own ONNX sentence-embedding model (e.g. a multilingual one), with its HuggingFace
   * {@code tokenizer.json}; {@code languages} says which languages it should be trusted for.
   */
  public static TextEmbedder onnx(Path modelFile, Path tokenizerFile, Set<Language> languages) {
    if (!Files.isReadable(modelFile)) {
      throw new IllegalArgumentException("embedding model file is not readable: " + modelFile);
    }
    if (!Files.isReadable(tokenizerFile)) {
      throw new IllegalArgumentException("embedding tokenizer file is not readable: " + tokenizerFile);
    }
    OnnxEmbeddingModel model = new OnnxEmbeddingModel(modelFile, tokenizerFile, PoolingMode.MEAN, daemonExecutor());
    return new TextEmbedder("onnx:" + modelFile.getFileName(), model, languages);
  }

  public String name() {
    return name;
  }

  public int dimension() {
    return model.dimension();
  }

  /** Whether vectors from this model mean something for {@code language}. */
  public boolean supports(Language language) {
    return languages.contains(language);
  }

  public float[] embed(String text) {
    float[] cached = cache.get(text);
    if (cached != null) {
      return cached;
    }
    float[] vector = model.embed(text).content().vector();
    cache.put(text, vector);
    return vector;
  }

  /** A citizen's question embedded: cached only for {@link #QUERY_TTL}, never with the knowledge base's phrasings. */
  public float[] embedQuery(String text) {
    return queries.get(text, t -> model.embed(t).content().vector());
  }

  /** Forgets the questions older than {@link #QUERY_TTL}; also called periodically, for a server without traffic. */
  public void sweepQueries() {
    queries.sweep();
  }

  /** How many citizens' questions the query cache holds now. */
  public int cachedQueries() {
    return queries.size();
  }

  /** The model's own thread pool must not keep the JVM alive at shutdown. */
  private static ExecutorService daemonExecutor() {
    return Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), runnable -> {
      Thread thread = new Thread(runnable, "embedding");
      thread.setDaemon(true);
      return thread;
    });
  }
}
