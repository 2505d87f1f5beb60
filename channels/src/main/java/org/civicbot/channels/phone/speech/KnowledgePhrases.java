package org.civicbot.channels.phone.speech;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.Language;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What the phone line's recognizer listens for in a tenant's language: the knowledge base's titles, question
 * phrasings and keywords as whole phrases, every word of its articles, and the dialogue's own phrases (asking for a
 * person, yes, no, repeat). Rebuilt when the knowledge base publishes (its article list is then a new object).
 */
public final class KnowledgePhrases implements BiFunction<String, Language, List<String>> {
  private final KnowledgeBase knowledge;
  private final Function<Language, List<String>> dialoguePhrases;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(List<Article> source, List<String> phrases) {
  }

  public KnowledgePhrases(KnowledgeBase knowledge, Function<Language, List<String>> dialoguePhrases) {
    this.knowledge = knowledge;
    this.dialoguePhrases = dialoguePhrases;
  }

  @Override
  public List<String> apply(String tenantId, Language lang) {
    List<Article> articles = knowledge.publishedArticles(tenantId, lang);
    String key = tenantId + "/" + lang.code();
    Cached cached = cache.get(key);
    if (cached != null && cached.source() == articles) {
      return cached.phrases();
    }
    List<String> phrases = new ArrayList<>(dialoguePhrases.apply(lang));
    for (Article article : articles) {
      ArticleContent c = article.content();
      phrases.add(c.title());
      phrases.addAll(c.questions());
      phrases.addAll(c.keywords());
    }
    phrases.addAll(knowledge.vocabulary(tenantId, lang).keySet().stream().sorted().toList());
    List<String> result = List.copyOf(phrases);
    cache.put(key, new Cached(articles, result));
    return result;
  }
}
