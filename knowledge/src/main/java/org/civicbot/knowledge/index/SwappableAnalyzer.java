package org.civicbot.knowledge.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.AnalyzerWrapper;

/**
 * The IndexWriter's analyzer is fixed at creation, but the Danish compound dictionary changes with the knowledge base:
 * this wrapper lets a rebuild set the analyzer it indexes with. Components are not reused, so a swap takes effect at
 * once.
 */
final class SwappableAnalyzer extends AnalyzerWrapper {
  private volatile Analyzer delegate;

  SwappableAnalyzer(Analyzer initial) {
    super(new ReuseStrategy() {
      @Override
      public TokenStreamComponents getReusableComponents(Analyzer analyzer, String fieldName) {
        return null;
      }

      @Override
      public void setReusableComponents(Analyzer analyzer, String fieldName, TokenStreamComponents components) {
        // never reused
      }
    });
    this.delegate = initial;
  }

  void set(Analyzer analyzer) {
    this.delegate = analyzer;
  }

  @Override
  protected Analyzer getWrappedAnalyzer(String fieldName) {
    return delegate;
  }
}
