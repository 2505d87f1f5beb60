package org.civicbot.knowledge.index;

import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Concept;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.analysis.CivicAnalyzer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Index-time use of the editors' concept lists: an article whose title, phrasings or keywords hold a term of a
 * concept (all its words, after analysis) gets the concept's other terms as extra keywords.
 */
final class ConceptExpansion {

  private record Group(List<String> terms, List<Set<String>> analyzed) {
  }

  private final CivicAnalyzer analyzer;
  private final List<Group> groups;

  private ConceptExpansion(CivicAnalyzer analyzer, List<Group> groups) {
    this.analyzer = analyzer;
    this.groups = groups;
  }

  static ConceptExpansion of(CivicAnalyzer analyzer, List<Concept> concepts, Language lang) {
    List<Group> groups = new ArrayList<>();
    for (Concept concept : concepts) {
      List<String> terms = concept.terms(lang);
      if (terms.size() < 2) {
        continue;
      }
      List<Set<String>> analyzed = terms.stream().map(t -> QueryTerms.analyze(analyzer, t).allTerms()).toList();
      groups.add(new Group(terms, analyzed));
    }
    return new ConceptExpansion(analyzer, List.copyOf(groups));
  }

  /** The terms to add to {@code content}'s keywords (none when no concept applies). */
  List<String> expand(ArticleContent content) {
    if (groups.isEmpty()) {
      return List.of();
    }
    Set<String> words = new HashSet<>();
    List<String> texts = new ArrayList<>(content.questions());
    texts.addAll(content.keywords());
    texts.add(content.title());
    texts.forEach(t -> words.addAll(QueryTerms.analyze(analyzer, t).allTerms()));
    Set<String> added = new LinkedHashSet<>();
    for (Group group : groups) {
      boolean mentioned = group.analyzed().stream().anyMatch(a -> !a.isEmpty() && words.containsAll(a));
      if (mentioned) {
        added.addAll(group.terms());
      }
    }
    return List.copyOf(added);
  }
}
