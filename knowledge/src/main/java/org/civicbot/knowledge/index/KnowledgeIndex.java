package org.civicbot.knowledge.index;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.similarities.PerFieldSimilarityWrapper;
import org.apache.lucene.search.similarities.Similarity;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestMode;
import org.apache.lucene.search.spell.SuggestWord;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Concept;
import org.civicbot.knowledge.NotCovered;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.analysis.CivicAnalyzer;
import org.civicbot.knowledge.embedding.TextEmbedder;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * The Lucene index of one tenant's published articles in one language, kept on disk. It records which knowledge
 * version, embedding model and index format it was built from, so the owner can tell whether it is stale.
 * Blocking: call from worker threads. Searching is thread-safe; rebuilds are serialized.
 */
public final class KnowledgeIndex implements Closeable {

  /** Field weights for the article-level BM25 query. */
  static final Map<String, Float> FIELD_WEIGHTS = Map.of(
      IndexFields.TITLE, 1.5f, IndexFields.QUESTIONS, 2.0f, IndexFields.KEYWORDS, 1.5f, IndexFields.ANSWER, 0.4f);
  /** How much a word found only in the answer text counts for coverage, against 1 for title, phrasings, keywords. */
  static final double ANSWER_ONLY_COVERAGE = 0.5;
  /**
   * How much a Danish compound counts for coverage when an article holds all of it in parts ("storskrald" and
   * "afhentning" for "storskraldsafhentning"). An article holding only some parts covers the share of the word's
   * letters they make up, times this: "kreditkort" is barely covered by an article on parking cards ("kort").
   */
  static final double COMPOUND_PART_COVERAGE = 0.9;
  /** An unknown word of fewer letters than this weighs less in coverage, by its share of them. */
  static final int FULL_WEIGHT_UNKNOWN_LETTERS = 4;
  private static final int LEXICAL_CANDIDATES = 20;
  private static final int PHRASE_CANDIDATES = 60;
  private static final int VECTOR_CANDIDATES = 60;
  /** How alike (0..1, Lucene's string distance) a known word must be to stand in for an unknown one. */
  private static final float MIN_SPELLING_SIMILARITY = 0.75f;

  private final Language language;
  private final TextEmbedder embedder;
  private final Directory directory;
  private final IndexWriter writer;
  private final SwappableAnalyzer writerAnalyzer;
  private final SearcherManager searchers;
  private volatile CivicAnalyzer analyzer;
  private volatile Map<String, String> metadata;
  /** The phrasings of every article and the not-covered examples, analyzed, for phrase coverage. */
  private volatile Phrasings phrasings = Phrasings.EMPTY;
  private final Map<String, Double> idfCache = new ConcurrentHashMap<>();
  /** Unknown words and their correction ("" for none): citizens' typos repeat, and a suggestion costs a millisecond. */
  private final Map<String, String> corrections = new ConcurrentHashMap<>();
  private static final int MAX_CACHED_CORRECTIONS = 100_000;
  private final DirectSpellChecker spellChecker = new DirectSpellChecker();

  private KnowledgeIndex(Language language, TextEmbedder embedder, Directory directory, IndexWriter writer,
                         SwappableAnalyzer writerAnalyzer, Map<String, String> metadata) throws IOException {
    this.writerAnalyzer = writerAnalyzer;
    this.language = language;
    this.embedder = embedder;
    this.directory = directory;
    this.writer = writer;
    this.searchers = new SearcherManager(writer, null);
    this.metadata = metadata;
    this.analyzer = CivicAnalyzer.create(language, compoundWords(metadata));
    spellChecker.setMinQueryLength(4);
    spellChecker.setMaxEdits(2);
    spellChecker.setMinPrefix(1);
  }

  /** Opens the index in {@code dir}, creating an empty one when there is none. */
  public static KnowledgeIndex open(Path dir, Language language, TextEmbedder embedder) {
    try {
      Files.createDirectories(dir);
      Directory directory = FSDirectory.open(dir);
      Map<String, String> metadata = DirectoryReader.indexExists(directory)
          ? readMetadata(directory) : Map.of();
      SwappableAnalyzer writerAnalyzer = new SwappableAnalyzer(CivicAnalyzer.create(language));
      IndexWriterConfig config = new IndexWriterConfig(writerAnalyzer)
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
          .setSimilarity(similarity());
      IndexWriter writer = new IndexWriter(directory, config);
      return new KnowledgeIndex(language, embedder, directory, writer, writerAnalyzer, metadata);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not open the knowledge index in " + dir, e);
    }
  }

  /** An index kept in memory only: for training the answer model on variants of the knowledge base. */
  public static KnowledgeIndex inMemory(Language language, TextEmbedder embedder) {
    try {
      Directory directory = new ByteBuffersDirectory();
      SwappableAnalyzer writerAnalyzer = new SwappableAnalyzer(CivicAnalyzer.create(language));
      IndexWriterConfig config = new IndexWriterConfig(writerAnalyzer)
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
          .setSimilarity(similarity());
      return new KnowledgeIndex(language, embedder, directory, new IndexWriter(directory, config), writerAnalyzer,
          Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create an in-memory index", e);
    }
  }

  public Language language() {
    return language;
  }

  /** Whether question vectors are compared (the embedding model knows the language). */
  public boolean hasVectors() {
    return embedder.supports(language);
  }

  /** The knowledge version it was built from, or empty when it was never built. */
  public Optional<Long> builtFromVersion() {
    String version = metadata.get(IndexFields.META_VERSION);
    return version == null ? Optional.empty() : Optional.of(Long.parseLong(version));
  }

  /** Whether the index reflects {@code knowledgeVersion} with the current model and index format. */
  public boolean isCurrent(long knowledgeVersion) {
    return builtFromVersion().filter(v -> v == knowledgeVersion).isPresent()
        && IndexFields.FORMAT.equals(metadata.get(IndexFields.META_FORMAT))
        && modelName().equals(metadata.get(IndexFields.META_MODEL));
  }

  /**
   * Replaces the whole index by {@code articles} in one commit; searches see the old index until it is done.
   * {@code progress} is told how many articles are done.
   */
  public void rebuild(Collection<Article> articles, long knowledgeVersion, IntConsumer progress) {
    rebuild(articles, List.of(), knowledgeVersion, progress);
  }

  /**
   * As {@link #rebuild(Collection, long, IntConsumer)}, with the tenant's concept lists: an article that mentions a
   * term of a concept is indexed with the concept's other terms as keywords.
   */
  public synchronized void rebuild(Collection<Article> articles, List<Concept> concepts, long knowledgeVersion,
                                   IntConsumer progress) {
    List<String> texts = new ArrayList<>();
    for (Article article : articles) {
      ArticleContent c = article.content();
      texts.add(c.title());
      texts.addAll(c.questions());
      texts.addAll(c.keywords());
    }
    Set<String> compounds = language == Language.DA ? CivicAnalyzer.vocabulary(language, texts) : Set.of();
    CivicAnalyzer newAnalyzer = CivicAnalyzer.create(language, compounds);
    boolean vectors = embedder.supports(language);
    try {
      writerAnalyzer.set(newAnalyzer);
      writer.deleteAll();
      ConceptExpansion expansion = ConceptExpansion.of(newAnalyzer, concepts, language);
      int done = 0;
      for (Article article : articles) {
        if (article.lang() != language) {
          throw new IllegalArgumentException("article '" + article.slug() + "' is " + article.lang().code()
              + " but the index is " + language.code());
        }
        writer.addDocument(articleDocument(article.content(), expansion.expand(article.content())));
        for (String phrase : phrases(article.content())) {
          writer.addDocument(phraseDocument(article.slug(), phrase, vectors));
        }
        progress.accept(++done);
      }
      Map<String, String> newMetadata = Map.of(
          IndexFields.META_VERSION, Long.toString(knowledgeVersion),
          IndexFields.META_MODEL, modelName(),
          IndexFields.META_FORMAT, IndexFields.FORMAT,
          IndexFields.META_COMPOUNDS, String.join(" ", compounds));
      writer.setLiveCommitData(newMetadata.entrySet());
      writer.commit();
      analyzer = newAnalyzer;
      metadata = newMetadata;
      searchers.maybeRefreshBlocking();
      attach(articles);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not rebuild the " + language.code() + " knowledge index", e);
    }
  }

  /** Number of articles in the index. */
  public int size() {
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        return searcher.count(new TermQuery(new Term(IndexFields.TYPE, IndexFields.TYPE_ARTICLE)));
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Prepares phrase coverage for {@code articles}, the articles the index holds: called by {@link #rebuild} and when an
   * index that is current is opened.
   */
  public void attach(Collection<Article> articles) {
    idfCache.clear();
    corrections.clear();
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        phrasings = Phrasings.of(analyzer, articles, embedder.supports(language) ? embedder : null,
            t -> idf(searcher, t));
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The raw signals of every candidate article for {@code text}, in no particular order. */
  public IndexSearch search(String text) {
    return search(text, key -> false);
  }

  /**
   * As {@link #search(String)}, leaving out the not-covered examples whose key ({@code slug#n}, the n-th not-covered
   * topic of the article) {@code excludeNegatives} accepts: training asks what an example's neighbours say.
   */
  public IndexSearch search(String text, Predicate<String> excludeNegatives) {
    CivicAnalyzer currentAnalyzer = analyzer;
    QueryTerms analyzed = QueryTerms.analyze(currentAnalyzer, text);
    boolean vectors = embedder.supports(language);
    if (analyzed.isEmpty() && !vectors) {
      return IndexSearch.EMPTY;
    }
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        searcher.setSimilarity(similarity());
        QueryTerms terms = corrected(searcher, analyzed);
        Map<String, double[]> found = new HashMap<>();
        if (!terms.isEmpty()) {
          collect(searcher, articleQuery(terms), LEXICAL_CANDIDATES, found, 0, false);
          collect(searcher, phraseQuery(terms), PHRASE_CANDIDATES, found, 1, true);
        }
        float[] vector = null;
        if (vectors && !text.isBlank()) {
          vector = embedder.embedQuery(text);
          // only phrasing documents carry vectors: no filter needed (a filter costs a bit set per search)
          Query knn = new KnnFloatVectorQuery(IndexFields.VECTOR, vector, VECTOR_CANDIDATES);
          collect(searcher, knn, VECTOR_CANDIDATES, found, 2, true);
        }
        Coverage coverage = coverage(searcher, terms, found.keySet());
        Phrasings current = phrasings;
        Phrasings.QueryWords queryTerms = Phrasings.QueryWords.of(terms.positions());
        List<Signals> signals = new ArrayList<>();
        found.forEach((slug, s) -> {
          double phraseCoverage = current.bestMatch(slug, queryTerms);
          signals.add(new Signals(slug, s[0], s[1], coverage.shares().getOrDefault(slug, 0.0),
              vectors ? (s[2] == 0 ? 0.0 : 2 * s[2] - 1) : Double.NaN, phraseCoverage,
              coverage.matchedIdf().getOrDefault(slug, 0.0), coverage.rarest().getOrDefault(slug, 0.0)));
        });
        Optional<IndexSearch.NegativeMatch> negative = current.bestNegative(queryTerms, vector, excludeNegatives);
        return new IndexSearch(signals, terms.positions().size(), coverage.unknownShare(), negative,
            terms.equals(analyzed) ? List.of() : corrections(analyzed, terms));
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The words the knowledge base does not know, replaced by the closest one it does (a typo), where there is one. */
  private QueryTerms corrected(IndexSearcher searcher, QueryTerms terms) throws IOException {
    List<Set<String>> positions = new ArrayList<>();
    boolean changed = false;
    for (Set<String> position : terms.positions()) {
      String word = position.iterator().next();
      if (position.size() == 1 && word.length() >= spellChecker.getMinQueryLength()) {
        String correction = corrections.get(word);
        if (correction == null) {
          correction = correction(searcher, word);
          if (corrections.size() < MAX_CACHED_CORRECTIONS) {
            corrections.put(word, correction);
          }
        }
        if (!correction.isEmpty()) {
          positions.add(Set.of(correction));
          changed = true;
          continue;
        }
      }
      positions.add(position);
    }
    return changed ? new QueryTerms(List.copyOf(positions)) : terms;
  }

  /** The closest word of the knowledge base for a word no article holds; "" when the word is known or has none. */
  private String correction(IndexSearcher searcher, String word) throws IOException {
    if (articleFrequency(searcher, word) > 0) {
      return "";
    }
    String best = "";
    float bestScore = 0;
    for (String field : List.of(IndexFields.QUESTIONS, IndexFields.KEYWORDS, IndexFields.TITLE)) {
      SuggestWord[] suggestions = spellChecker.suggestSimilar(new Term(field, word), 1,
          searcher.getIndexReader(), SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX);
      if (suggestions.length > 0 && suggestions[0].score > bestScore) {
        best = suggestions[0].string;
        bestScore = suggestions[0].score;
      }
    }
    return bestScore >= MIN_SPELLING_SIMILARITY ? best : "";
  }

  private static List<String> corrections(QueryTerms before, QueryTerms after) {
    List<String> changes = new ArrayList<>();
    for (int i = 0; i < before.positions().size(); i++) {
      if (!before.positions().get(i).equals(after.positions().get(i))) {
        changes.add(before.positions().get(i).iterator().next() + "->" + after.positions().get(i).iterator().next());
      }
    }
    return changes;
  }

  /** How many articles hold {@code term} in any field. */
  private static int articleFrequency(IndexSearcher searcher, String term) throws IOException {
    return articlesContaining(searcher, term).size();
  }

  private double idf(IndexSearcher searcher, String term) {
    return idfCache.computeIfAbsent(term, t -> {
      try {
        int articles = Math.max(1, searcher.count(new TermQuery(new Term(IndexFields.TYPE, IndexFields.TYPE_ARTICLE))));
        return idf(articles, articlesContaining(searcher, t).size());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private Query articleQuery(QueryTerms terms) {
    BooleanQuery.Builder fields = new BooleanQuery.Builder();
    FIELD_WEIGHTS.forEach((field, weight) -> {
      BooleanQuery.Builder perField = new BooleanQuery.Builder();
      terms.allTerms().forEach(t -> perField.add(new TermQuery(new Term(field, t)), BooleanClause.Occur.SHOULD));
      fields.add(new BoostQuery(perField.build(), weight), BooleanClause.Occur.SHOULD);
    });
    return new BooleanQuery.Builder()
        .add(fields.build(), BooleanClause.Occur.MUST)
        .add(new TermQuery(new Term(IndexFields.TYPE, IndexFields.TYPE_ARTICLE)), BooleanClause.Occur.FILTER)
        .build();
  }

  private Query phraseQuery(QueryTerms terms) {
    BooleanQuery.Builder words = new BooleanQuery.Builder();
    terms.allTerms().forEach(t -> words.add(new TermQuery(new Term(IndexFields.PHRASE, t)), BooleanClause.Occur.SHOULD));
    return new BooleanQuery.Builder()
        .add(words.build(), BooleanClause.Occur.MUST)
        .add(new TermQuery(new Term(IndexFields.TYPE, IndexFields.TYPE_PHRASE)), BooleanClause.Occur.FILTER)
        .build();
  }

  /** Keeps the best score per article of {@code query}'s hits in slot {@code slot} of each article's array. */
  private static void collect(IndexSearcher searcher, Query query, int n, Map<String, double[]> found, int slot,
                              boolean max) throws IOException {
    TopDocs top = searcher.search(query, n);
    for (ScoreDoc hit : top.scoreDocs) {
      String slug = slugOf(searcher, hit.doc);
      double[] scores = found.computeIfAbsent(slug, s -> new double[3]);
      scores[slot] = max ? Math.max(scores[slot], hit.score) : hit.score;
    }
  }

  /**
   * For each candidate, the idf-weighted share of the question's word positions that it contains: a word found in the
   * title, phrasings or keywords counts fully, one found only in the answer text counts half, and a compound matched
   * only by its parts counts by the share of its letters they make up (see {@link #COMPOUND_PART_COVERAGE}).
   */
  private record Coverage(Map<String, Double> shares, Map<String, Double> matchedIdf, double unknownShare,
                          Map<String, Double> rarest) {
  }

  private static Coverage coverage(IndexSearcher searcher, QueryTerms terms, Set<String> candidates)
      throws IOException {
    Map<String, Double> result = new HashMap<>();
    if (terms.isEmpty() || candidates.isEmpty()) {
      return new Coverage(result, Map.of(), terms.isEmpty() ? 0 : 1, Map.of());
    }
    double unknownWeight = 0;
    double rarestIdf = -1;
    Map<String, Double> rarest = Map.of();
    int articles = Math.max(1, searcher.count(new TermQuery(new Term(IndexFields.TYPE, IndexFields.TYPE_ARTICLE))));
    double totalWeight = 0;
    Map<String, Double> covered = new HashMap<>();
    for (Set<String> position : terms.positions()) {
      double idf = 0;
      Map<String, Double> best = new HashMap<>();
      String word = null;
      Map<String, Double> parts = new HashMap<>();
      for (String term : position) {
        Map<String, Double> where = articlesContaining(searcher, term);
        idf = Math.max(idf, idf(articles, where.size()));
        if (word == null) {
          word = term;
          where.forEach((slug, weight) -> best.merge(slug, weight, Math::max));
        } else {
          double share = (double) term.length() / word.length();
          where.forEach((slug, weight) -> parts.merge(slug, weight * share, Double::sum));
        }
      }
      parts.forEach((slug, share) -> best.merge(slug, COMPOUND_PART_COVERAGE * Math.min(1, share), Math::max));
      if (best.isEmpty()) {
        // a word no article holds is a typo, filler or a topic the knowledge base lacks: not the rarest word; a short
        // one ("jg", "ha") is more often a slip or a spoken form of a little word than a topic, and weighs less
        idf *= Math.min(1, (double) word.length() / FULL_WEIGHT_UNKNOWN_LETTERS);
        totalWeight += idf;
        unknownWeight += idf;
      } else {
        totalWeight += idf;
        if (idf > rarestIdf) {
          rarestIdf = idf;
          rarest = best;
        }
      }
      final double positionIdf = idf;
      best.forEach((slug, weight) -> covered.merge(slug, weight * positionIdf, Double::sum));
    }
    for (String slug : candidates) {
      result.put(slug, totalWeight == 0 ? 0.0 : covered.getOrDefault(slug, 0.0) / totalWeight);
    }
    return new Coverage(result, covered, totalWeight == 0 ? 0 : unknownWeight / totalWeight, rarest);
  }

  private static double idf(int docs, int docFreq) {
    return Math.log(1 + (docs - docFreq + 0.5) / (docFreq + 0.5));
  }

  /** Article slug to the coverage weight of the best field in which it contains {@code term}. */
  private static Map<String, Double> articlesContaining(IndexSearcher searcher, String term) throws IOException {
    Map<String, Double> where = new HashMap<>();
    for (String field : List.of(IndexFields.TITLE, IndexFields.QUESTIONS, IndexFields.KEYWORDS, IndexFields.ANSWER)) {
      double weight = field.equals(IndexFields.ANSWER) ? ANSWER_ONLY_COVERAGE : 1.0;
      BytesRef bytes = new BytesRef(term);
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        PostingsEnum postings = leaf.reader().postings(new Term(field, bytes), PostingsEnum.NONE);
        if (postings == null) {
          continue;
        }
        SortedDocValues slugs = leaf.reader().getSortedDocValues(IndexFields.SLUG_DV);
        for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
          if (slugs != null && slugs.advanceExact(doc)) {
            where.merge(slugs.lookupOrd(slugs.ordValue()).utf8ToString(), weight, Math::max);
          }
        }
      }
    }
    return where;
  }

  /** The slug of a hit, from doc values (cheaper than decompressing stored fields). */
  private static String slugOf(IndexSearcher searcher, int doc) throws IOException {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
    SortedDocValues slugs = leaf.reader().getSortedDocValues(IndexFields.SLUG_DV);
    if (slugs == null || !slugs.advanceExact(doc - leaf.docBase)) {
      throw new IllegalStateException("document " + doc + " has no slug");
    }
    return slugs.lookupOrd(slugs.ordValue()).utf8ToString();
  }


  private Document articleDocument(ArticleContent c, List<String> expansion) {
    Document doc = new Document();
    doc.add(new StringField(IndexFields.TYPE, IndexFields.TYPE_ARTICLE, Field.Store.NO));
    doc.add(new StringField(IndexFields.SLUG, c.slug(), Field.Store.YES));
    doc.add(new SortedDocValuesField(IndexFields.SLUG_DV, new BytesRef(c.slug())));
    doc.add(new TextField(IndexFields.TITLE, c.title(), Field.Store.NO));
    c.questions().forEach(q -> doc.add(new TextField(IndexFields.QUESTIONS, q, Field.Store.NO)));
    c.keywords().forEach(k -> doc.add(new TextField(IndexFields.KEYWORDS, k, Field.Store.NO)));
    expansion.forEach(k -> doc.add(new TextField(IndexFields.KEYWORDS, k, Field.Store.NO)));
    doc.add(new TextField(IndexFields.ANSWER, c.answer(), Field.Store.NO));
    return doc;
  }

  private Document phraseDocument(String slug, String phrase, boolean vectors) {
    Document doc = new Document();
    doc.add(new StringField(IndexFields.TYPE, IndexFields.TYPE_PHRASE, Field.Store.NO));
    doc.add(new StringField(IndexFields.SLUG, slug, Field.Store.YES));
    doc.add(new SortedDocValuesField(IndexFields.SLUG_DV, new BytesRef(slug)));
    doc.add(new TextField(IndexFields.PHRASE, phrase, Field.Store.NO));
    if (vectors) {
      doc.add(new KnnFloatVectorField(IndexFields.VECTOR, embedder.embed(phrase), VectorSimilarityFunction.COSINE));
    }
    return doc;
  }

  /** The texts a citizen's question is compared with one by one: the title and every phrasing. */
  private static List<String> phrases(ArticleContent c) {
    List<String> phrases = new ArrayList<>();
    phrases.add(c.title());
    phrases.addAll(c.questions());
    return phrases;
  }

  private String modelName() {
    return embedder.supports(language) ? embedder.name() : "none";
  }

  /** Phrasings are many short fields in one document: length normalization would punish well-covered articles. */
  private static Similarity similarity() {
    BM25Similarity standard = new BM25Similarity();
    BM25Similarity flat = new BM25Similarity(1.2f, 0.3f);
    return new PerFieldSimilarityWrapper() {
      @Override
      public Similarity get(String name) {
        return name.equals(IndexFields.QUESTIONS) || name.equals(IndexFields.KEYWORDS) ? flat : standard;
      }
    };
  }

  private static Map<String, String> readMetadata(Directory directory) throws IOException {
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      return Map.copyOf(reader.getIndexCommit().getUserData());
    }
  }

  private static Set<String> compoundWords(Map<String, String> metadata) {
    String words = metadata.getOrDefault(IndexFields.META_COMPOUNDS, "");
    return words.isBlank() ? Set.of() : new HashSet<>(Arrays.asList(words.split(" ")));
  }

  @Override
  public void close() {
    try {
      searchers.close();
      writer.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
