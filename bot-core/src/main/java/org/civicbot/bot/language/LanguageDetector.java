package org.civicbot.bot.language;

import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;
import org.civicbot.bot.intent.TextFolding;
import org.civicbot.knowledge.Language;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Tells Danish from English, also in messages of one or two words ("pas?", "hej"), where character n-gram models
 * are unreliable. Evidence, summed into one score (positive: Danish):
 * <ul>
 *   <li>letters only Danish uses (æ, ø, å): +2;</li>
 *   <li>each word that the tenant's knowledge base uses over three times as often in one language: ±1;</li>
 *   <li>the languages in whose phrase lists an intent was found (greeting, thanks, ...): ±1 each;</li>
 *   <li>for messages of three words or more, Apache OpenNLP's n-gram language model (langdetect-183):
 *       ±3 × the difference of its Danish and English probabilities.</li>
 * </ul>
 * When the score is within ±0.5, the conversation keeps its language (or the channel's hint).
 */
public final class LanguageDetector {

  private static final double UNDECIDED = 0.5;
  private static final double MODEL_WEIGHT = 3.0;
  private static final int MODEL_MIN_WORDS = 3;
  private static final int DOMINANCE = 3;

  /** OpenNLP's ME classes are not documented as thread-safe: one per thread instead of one lock for all turns. */
  private final ThreadLocal<LanguageDetectorME> model;
  private final Function<Language, Map<String, Integer>> vocabulary;

  /**
   * @param vocabulary the lower-case words the tenant's articles use per language
   */
  private LanguageDetector(LanguageDetectorModel model, Function<Language, Map<String, Integer>> vocabulary) {
    this.model = ThreadLocal.withInitial(() -> new LanguageDetectorME(model));
    this.vocabulary = vocabulary;
  }

  /** Loads the OpenNLP language model from the classpath (about 0.5 s); share the result. */
  public static LanguageModel loadModel() {
    try (InputStream in = LanguageDetector.class.getResourceAsStream("/langdetect-183.bin")) {
      if (in == null) {
        throw new IllegalStateException("langdetect-183.bin (opennlp-models-langdetect) is not on the classpath");
      }
      return new LanguageModel(new LanguageDetectorModel(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the OpenNLP language model", e);
    }
  }

  /** The loaded n-gram model, shared by all detectors. */
  public record LanguageModel(LanguageDetectorModel model) {
    public LanguageDetector detector(Function<Language, Map<String, Integer>> vocabulary) {
      return new LanguageDetector(model, vocabulary);
    }
  }

  /**
   * @param text           the redacted message
   * @param intentEvidence how many intent phrase lists of each language matched
   * @param fallback       the language to keep when the evidence is weak
   */
  public LanguageGuess detect(String text, Map<Language, Integer> intentEvidence, Language fallback) {
    StringBuilder why = new StringBuilder();
    double score = 0;
    if (text.toLowerCase().matches("(?s).*[æøå].*")) {
      score += 2;
      why.append("æøå +2; ");
    }
    List<String> words = TextFolding.words(text.replace("[", " ").replace("]", " "));
    Map<String, Integer> da = folded(Language.DA);
    Map<String, Integer> en = folded(Language.EN);
    int lexical = 0;
    for (String word : words) {
      int inDa = da.getOrDefault(word, 0);
      int inEn = en.getOrDefault(word, 0);
      // a word is evidence when one language uses it clearly more often (English articles quote Danish terms)
      if (inDa > DOMINANCE * inEn) {
        lexical++;
      } else if (inEn > DOMINANCE * inDa) {
        lexical--;
      }
    }
    if (lexical != 0) {
      score += lexical;
      why.append("vocabulary ").append(lexical > 0 ? "+" : "").append(lexical).append("; ");
    }
    int intents = intentEvidence.getOrDefault(Language.DA, 0) - intentEvidence.getOrDefault(Language.EN, 0);
    if (intents != 0) {
      score += intents;
      why.append("phrases ").append(intents > 0 ? "+" : "").append(intents).append("; ");
    }
    if (words.size() >= MODEL_MIN_WORDS) {
      double danish = 0;
      double english = 0;
      opennlp.tools.langdetect.Language[] predicted;
      predicted = model.get().predictLanguages(text);
      for (opennlp.tools.langdetect.Language l : predicted) {
        if (l.getLang().equals("dan")) {
          danish = l.getConfidence();
        } else if (l.getLang().equals("eng")) {
          english = l.getConfidence();
        }
      }
      double sum = danish + english;
      if (sum > 0) {
        double model = MODEL_WEIGHT * (danish - english) / sum;
        score += model;
        why.append(String.format(java.util.Locale.ROOT, "ngram %+.2f; ", model));
      }
    }
    if (Math.abs(score) < UNDECIDED) {
      return new LanguageGuess(fallback, score, false, why + "kept " + fallback.code());
    }
    return new LanguageGuess(score > 0 ? Language.DA : Language.EN, score, true, why.toString().trim());
  }

  private final Map<Language, Map<String, Integer>> foldedCache = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<Language, Map<String, Integer>> foldedFrom = new java.util.concurrent.ConcurrentHashMap<>();

  /** The vocabulary folded like messages; recomputed only when the knowledge base published a new one. */
  private Map<String, Integer> folded(Language lang) {
    Map<String, Integer> raw = vocabulary.apply(lang);
    if (foldedFrom.get(lang) != raw) {
      Map<String, Integer> folded = new java.util.HashMap<>();
      raw.forEach((w, n) -> folded.merge(TextFolding.fold(w), n, Integer::sum));
      foldedCache.put(lang, Map.copyOf(folded));
      foldedFrom.put(lang, raw);
    }
    return foldedCache.get(lang);
  }
}
