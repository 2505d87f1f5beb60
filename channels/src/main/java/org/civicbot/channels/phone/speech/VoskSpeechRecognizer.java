package org.civicbot.channels.phone.speech;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.knowledge.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.Model;
import org.vosk.Recognizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Vosk (Kaldi) recognition with the models an operator provides, one per language.
 *
 * <p>Full-vocabulary decoding of the small model runs near real time on two cores, too slow for many calls; and
 * callers of a municipality ask about its topics. So each recognition decodes with a phrase grammar made of the
 * tenant's knowledge base (titles, question phrasings, keywords, and every word of the articles), the phone
 * dialogue's own phrases, and {@code [unk]}. Whole phrasings make likely questions cheap for the decoder; single
 * words let a caller combine them freely; {@code [unk]} and a per-word confidence floor keep speech outside the
 * knowledge base from being forced onto its words: such words are dropped, so retrieval sees little and declines
 * rather than answering the wrong article.
 */
public final class VoskSpeechRecognizer implements SpeechRecognizer {
  private static final Logger LOG = LoggerFactory.getLogger(VoskSpeechRecognizer.class);
  public static final int SAMPLE_RATE = 16_000;
  /** Words heard with less confidence than this are left out of the text. */
  static final double MIN_WORD_CONFIDENCE = 0.5;
  /** An utterance of at most this many words, after a yes/no question, is taken as the short listener heard it. */
  static final int SHORT_ANSWER_WORDS = 3;

  private final Map<Language, Model> models;
  private final BiFunction<String, Language, List<String>> phrases;
  private final Map<Language, String> shortAnswerGrammars = new EnumMap<>(Language.class);
  private final Map<String, Grammar> grammars = new ConcurrentHashMap<>();

  private record Grammar(List<String> source, String json) {
  }

  private VoskSpeechRecognizer(Map<Language, Model> models, BiFunction<String, Language, List<String>> phrases,
                               Function<Language, List<String>> shortAnswers) {
    this.models = models;
    this.phrases = phrases;
    models.keySet().forEach(lang -> shortAnswerGrammars.put(lang, toJson(grammarPhrases(shortAnswers.apply(lang)))));
  }

  /**
   * Loads the model folders given per language (blocking, about half a second each); a language whose folder is
   * missing is left out with a warning. {@code phrases}: the tenant's phrases and words in a language, a new list
   * object whenever they change; {@code shortAnswers}: the dialogue's own phrases in a language (yes, no, repeat,
   * a person), listened for alone after a yes/no question.
   */
  public static VoskSpeechRecognizer load(Map<Language, Path> modelDirs,
                                          BiFunction<String, Language, List<String>> phrases,
                                          Function<Language, List<String>> shortAnswers) {
    // errors only: Kaldi warns about every grammar word the model lacks (English articles quote Danish terms)
    LibVosk.vosk_set_log_level(-2);
    Map<Language, Model> models = new EnumMap<>(Language.class);
    modelDirs.forEach((lang, dir) -> {
      if (!Files.isRegularFile(dir.resolve("am").resolve("final.mdl"))) {
        LOG.warn("No Vosk model for {} at {}: the phone line will not offer {}", lang.code(), dir, lang.code());
        return;
      }
      try {
        long start = System.nanoTime();
        models.put(lang, new Model(dir.toString()));
        LOG.info("Vosk model for {} loaded from {} in {} ms", lang.code(), dir, (System.nanoTime() - start) / 1_000_000);
      } catch (IOException e) {
        LOG.warn("Vosk model for {} at {} could not be loaded: {}", lang.code(), dir, e.getMessage());
      }
    });
    return new VoskSpeechRecognizer(models, phrases, shortAnswers);
  }

  @Override
  public int sampleRate() {
    return SAMPLE_RATE;
  }

  @Override
  public Set<Language> languages() {
    return models.keySet();
  }

  @Override
  public Recognition open(String tenantId, Language lang) {
    Model model = models.get(lang);
    if (model == null) {
      throw new IllegalArgumentException("no speech model for " + lang.code());
    }
    Recognizer recognizer = new Recognizer(model, SAMPLE_RATE, grammar(tenantId, lang));
    recognizer.setWords(true);
    return new VoskRecognition(model, recognizer, shortAnswerGrammars.get(lang));
  }

  /** The decoding grammar for a tenant and language, rebuilt when its phrases change. */
  String grammar(String tenantId, Language lang) {
    List<String> source = phrases.apply(tenantId, lang);
    Grammar cached = grammars.get(tenantId + "/" + lang.code());
    if (cached != null && cached.source() == source) {
      return cached.json();
    }
    Grammar grammar = new Grammar(source, toJson(grammarPhrases(source)));
    grammars.put(tenantId + "/" + lang.code(), grammar);
    return grammar.json();
  }

  /** Vosk's grammar: the phrases as a JSON array, with {@code [unk]} for anything else. */
  private static String toJson(List<String> phrases) {
    JsonArray json = new JsonArray();
    phrases.forEach(json::add);
    json.add("[unk]");
    return json.encode();
  }

  /** Lower-case phrases of letters, apostrophes and spaces; digits and symbols are not speakable as written. */
  static List<String> grammarPhrases(List<String> source) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    for (String phrase : source) {
      String cleaned = phrase.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}' ]+", " ").replaceAll("\\s+", " ").strip();
      if (!cleaned.isEmpty()) {
        out.add(cleaned);
      }
    }
    return new ArrayList<>(out);
  }

  @Override
  public void close() {
    models.values().forEach(Model::close);
    models.clear();
  }

  /** One caller's recognizer. */
  private static final class VoskRecognition implements Recognition {
    private final Model model;
    private final Recognizer recognizer;
    private final String shortAnswers;
    private volatile boolean shortAnswerExpected;
    /**
     * While a short answer is expected, a second recognizer hears the same audio with the dialogue's short phrases
     * only: the knowledge base's grammar swallows a lone "yes", and the short one hears nothing of a new question.
     */
    private Recognizer shortListener;

    VoskRecognition(Model model, Recognizer recognizer, String shortAnswers) {
      this.model = model;
      this.recognizer = recognizer;
      this.shortAnswers = shortAnswers;
    }

    @Override
    public void expectShortAnswer(boolean expected) {
      shortAnswerExpected = expected;
    }

    @Override
    public Hypothesis accept(short[] samples) {
      listenForShortAnswers(shortAnswerExpected);
      boolean endpoint = recognizer.acceptWaveForm(samples, samples.length);
      Hypothesis answer = Hypothesis.NOTHING;
      if (shortListener != null) {
        if (shortListener.acceptWaveForm(samples, samples.length)) {
          answer = parse(shortListener.getResult());
        } else if (endpoint) {
          answer = parse(shortListener.getFinalResult());
          shortListener.reset();
        }
      }
      if (endpoint) {
        Hypothesis result = parse(recognizer.getResult());
        if (!answer.text().isEmpty() && result.text().split(" ").length <= SHORT_ANSWER_WORDS) {
          return new Hypothesis(answer.text(), true, true, answer.confidence());
        }
        return new Hypothesis(result.text(), result.heardWords(), result.heardWords(), result.confidence());
      }
      if (!answer.text().isEmpty()) {
        // the short answer ended before the long grammar noticed: that utterance is done
        recognizer.reset();
        return new Hypothesis(answer.text(), true, true, answer.confidence());
      }
      boolean heard = heard(recognizer) || shortListener != null && heard(shortListener);
      return new Hypothesis("", heard, false, 0);
    }

    private void listenForShortAnswers(boolean wanted) {
      if (wanted && shortListener == null) {
        shortListener = new Recognizer(model, SAMPLE_RATE, shortAnswers);
        shortListener.setWords(true);
      } else if (!wanted && shortListener != null) {
        shortListener.close();
        shortListener = null;
      }
    }

    private static boolean heard(Recognizer recognizer) {
      String partial = new JsonObject(recognizer.getPartialResult()).getString("partial", "");
      return !partial.isBlank() && !partial.replace("[unk]", "").isBlank();
    }

    @Override
    public Hypothesis finish() {
      Hypothesis result = parse(recognizer.getFinalResult());
      recognizer.reset();
      if (shortListener != null) {
        Hypothesis answer = parse(shortListener.getFinalResult());
        shortListener.reset();
        if (result.text().isEmpty() && !answer.text().isEmpty()) {
          return new Hypothesis(answer.text(), true, true, answer.confidence());
        }
      }
      return new Hypothesis(result.text(), result.heardWords(), true, result.confidence());
    }

    @Override
    public void close() {
      listenForShortAnswers(false);
      recognizer.close();
    }

    private static Hypothesis parse(String json) {
      JsonArray words = new JsonObject(json).getJsonArray("result", new JsonArray());
      List<String> kept = new ArrayList<>();
      double confidence = 0;
      boolean heard = false;
      for (int i = 0; i < words.size(); i++) {
        JsonObject w = words.getJsonObject(i);
        String word = w.getString("word", "");
        double conf = w.getDouble("conf", 0.0);
        heard |= !word.isBlank();
        if (!word.equals("[unk]") && conf >= MIN_WORD_CONFIDENCE) {
          kept.add(word);
          confidence += conf;
        }
      }
      return new Hypothesis(String.join(" ", kept), heard, false, kept.isEmpty() ? 0 : confidence / kept.size());
    }
  }
}
