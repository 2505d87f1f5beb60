package org.civicbot.knowledge.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A query after analysis: one group of terms per word position (a Danish compound yields the word and its parts at
 * one position, the word first), so coverage can ask "was this word of the question matched?".
 */
record QueryTerms(List<Set<String>> positions) {

  QueryTerms {
    positions = List.copyOf(positions);
  }

  static QueryTerms analyze(Analyzer analyzer, String text) {
    List<Set<String>> positions = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(IndexFields.QUESTIONS, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        if (increment.getPositionIncrement() > 0 || positions.isEmpty()) {
          positions.add(new LinkedHashSet<>());
        }
        positions.get(positions.size() - 1).add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The same word twice in a question counts once.
    List<Set<String>> distinct = new ArrayList<>();
    for (Set<String> group : positions) {
      if (!distinct.contains(group)) {
        distinct.add(java.util.Collections.unmodifiableSet(group));
      }
    }
    return new QueryTerms(List.copyOf(distinct));
  }

  Set<String> allTerms() {
    Set<String> all = new LinkedHashSet<>();
    positions.forEach(all::addAll);
    return all;
  }

  boolean isEmpty() {
    return positions.isEmpty();
  }
}
