package org.civicbot.channels.phone.speech;

import org.civicbot.knowledge.Language;

import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Several recognizers as one, each serving its languages: the phone line can use Whisper for Danish, where Vosk's
 * small model is weak, and Vosk for English. See {@link SpeechRecognizer#perLanguage(Map)}.
 */
final class LanguageRoutedRecognizer implements SpeechRecognizer {
  private final Map<Language, SpeechRecognizer> byLanguage;
  private final int sampleRate;

  LanguageRoutedRecognizer(Map<Language, SpeechRecognizer> byLanguage) {
    if (byLanguage.isEmpty()) {
      throw new IllegalArgumentException("at least one language needs a recognizer, but none was given");
    }
    Set<Integer> rates = byLanguage.values().stream().map(SpeechRecognizer::sampleRate).collect(Collectors.toSet());
    if (rates.size() > 1) {
      Map<String, Integer> each = new TreeMap<>();
      byLanguage.forEach((lang, r) -> each.put(lang.code(), r.sampleRate()));
      throw new IllegalArgumentException("all recognizers must take one sample rate, but they take " + each);
    }
    this.byLanguage = Collections.unmodifiableMap(new EnumMap<>(byLanguage));
    this.sampleRate = rates.iterator().next();
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  /** The languages whose recognizer has a model for them. */
  @Override
  public Set<Language> languages() {
    return byLanguage.entrySet().stream().filter(e -> e.getValue().languages().contains(e.getKey()))
        .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public Recognition open(String tenantId, Language lang) {
    SpeechRecognizer recognizer = byLanguage.get(lang);
    if (recognizer == null) {
      throw new IllegalArgumentException("no speech model for " + lang.code());
    }
    return recognizer.open(tenantId, lang);
  }

  @Override
  public String name(Language lang) {
    SpeechRecognizer recognizer = byLanguage.get(lang);
    return recognizer == null ? "none" : recognizer.name(lang);
  }

  /** Closes each recognizer once, however many languages it serves. */
  @Override
  public void close() {
    Set<SpeechRecognizer> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    distinct.addAll(byLanguage.values());
    distinct.forEach(SpeechRecognizer::close);
  }
}
