package org.civicbot.knowledge.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.compound.DictionaryCompoundWordTokenFilter;
import org.apache.lucene.analysis.da.DanishAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.ScandinavianNormalizationFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.civicbot.knowledge.Language;
import org.tartarus.snowball.ext.DanishStemmer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The analyzer for one language of one tenant's index. Danish gets compound splitting against {@code compoundWords}
 * (usually the knowledge base's own vocabulary, see {@link #vocabulary}), so "storskraldsordning" finds "storskrald".
 */
public final class CivicAnalyzer extends Analyzer {

  /** Words that only carry the shape of a question; removing them lets the topic words decide. */
  static final List<String> DANISH_FILLER = List.of("hvordan", "hvornår", "hvilken", "hvilket", "hvilke", "hvem",
      "hvorfor", "kan", "gør", "gøre", "få", "får", "fik", "hej", "lige", "gerne", "må", "altså", "øh", "øhm", "ok",
      "okay", "tak", "bare", "nogen", "noget", "hvornaar", "der", "det", "sker", "hvad", "jeg", "mig", "min", "mit",
      "mine", "vores", "vi", "man", "ved", "godt", "egentlig", "så", "være", "eller", "hallo", "please", "også",
      "hmm", "nå", "jamen", "undskyld", "spørgsmål", "måske", "vel", "jo", "nu", "ja", "hejsa", "goddag", "davs",
      "tusind", "venlig", "hilsen", "bare", "lidt", "sådan");
  static final List<String> ENGLISH_FILLER = List.of("how", "what", "when", "where", "which", "who", "whom", "why",
      "can", "could", "do", "does", "did", "i", "i'm", "im", "my", "me", "we", "our", "us", "you", "your", "get",
      "got", "please", "hi", "hello", "hey", "would", "should", "um", "uh", "umm", "erm", "so", "just", "about",
      "any", "some", "know", "tell", "want", "there", "am", "have", "has", "from", "like", "okay", "ok", "its",
      "it's", "does", "dont", "don't", "need", "thanks", "thank", "yeah", "yes", "well", "really", "actually",
      "basically", "hmm", "hm", "er", "ah", "oh", "sorry", "wondering", "wonder", "question", "quick", "guess",
      "maybe", "hopefully", "anyway", "kind", "regards", "cheers", "wanted", "trying", "bit", "also");

  public static final int MIN_COMPOUND_WORD = 8;
  public static final int MIN_SUBWORD = 4;

  private final Language language;
  private final CharArraySet stopWords;
  private final CharArraySet compoundWords;

  private CivicAnalyzer(Language language, Collection<String> compoundWords) {
    this.language = language;
    this.stopWords = stopWords(language);
    this.compoundWords = compoundWords.isEmpty() ? null : new CharArraySet(compoundWords, false);
  }

  public static CivicAnalyzer create(Language language, Collection<String> compoundWords) {
    return new CivicAnalyzer(language, compoundWords);
  }

  public static CivicAnalyzer create(Language language) {
    return new CivicAnalyzer(language, Set.of());
  }

  public Language language() {
    return language;
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer source = new StandardTokenizer();
    TokenStream stream = source;
    if (language == Language.EN) {
      stream = new EnglishPossessiveFilter(stream);
    }
    stream = new LowerCaseFilter(stream);
    stream = new ScandinavianNormalizationFilter(stream);
    stream = new StopFilter(stream, stopWords);
    if (language == Language.DA) {
      if (compoundWords != null) {
        stream = new DictionaryCompoundWordTokenFilter(stream, compoundWords, MIN_COMPOUND_WORD, MIN_SUBWORD,
            DictionaryCompoundWordTokenFilter.DEFAULT_MAX_SUBWORD_SIZE, true);
      }
      stream = new SnowballFilter(stream, new DanishStemmer());
    } else {
      stream = new ASCIIFoldingFilter(stream);
      stream = new PorterStemFilter(stream);
    }
    return new TokenStreamComponents(source, stream);
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    return new ScandinavianNormalizationFilter(new LowerCaseFilter(in));
  }

  /**
   * The words of {@code texts} as compound splitting wants them: lowercased, Scandinavian-normalized, not stop words,
   * at least {@link #MIN_SUBWORD} letters.
   */
  public static Set<String> vocabulary(Language language, Collection<String> texts) {
    Set<String> words = new TreeSet<>();
    CharArraySet stop = stopWords(language);
    try (Analyzer plain = new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new StandardTokenizer();
        return new TokenStreamComponents(source, new StopFilter(
            new ScandinavianNormalizationFilter(new LowerCaseFilter(source)), stop));
      }
    }) {
      for (String text : texts) {
        try (TokenStream ts = plain.tokenStream("v", text)) {
          CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
          ts.reset();
          while (ts.incrementToken()) {
            if (term.length() >= MIN_SUBWORD && term.chars().allMatch(Character::isLetter)) {
              words.add(term.toString());
            }
          }
          ts.end();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return words;
  }

  private static CharArraySet stopWords(Language language) {
    CharArraySet set = new CharArraySet(64, true);
    if (language == Language.DA) {
      set.addAll(DanishAnalyzer.getDefaultStopSet());
      set.addAll(DANISH_FILLER);
    } else {
      set.addAll(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
      set.addAll(ENGLISH_FILLER);
    }
    return CharArraySet.unmodifiableSet(set);
  }
}
