package org.civicbot.channels.phone.speech;

import org.civicbot.knowledge.Language;

import java.util.Map;
import java.util.Set;

/**
 * Local speech-to-text for the phone line: one {@link Recognition} per caller utterance stream. Blocking: call from
 * worker threads, one thread at a time per recognition.
 */
public interface SpeechRecognizer extends AutoCloseable {

  /** The sample rate the recognizer takes. */
  int sampleRate();

  /** The languages it has a model for. */
  Set<Language> languages();

  /** Which engine recognizes {@code lang} ("vosk", "whisper"), as the transcript notes it. */
  default String name(Language lang) {
    return getClass().getSimpleName().replace("SpeechRecognizer", "").toLowerCase(java.util.Locale.ROOT);
  }

  /** Opens a recognition in {@code lang}, tuned to the tenant's knowledge base where the recognizer can use it. */
  Recognition open(String tenantId, Language lang);

  @Override
  void close();

  /**
   * One recognizer serving each language with its own (Whisper for one, Vosk for another); all must take the same
   * sample rate, else {@link IllegalArgumentException}. Closing it closes each of them once.
   */
  static SpeechRecognizer perLanguage(Map<Language, SpeechRecognizer> byLanguage) {
    return new LanguageRoutedRecognizer(byLanguage);
  }

  /** One caller's audio, fed as it arrives. */
  interface Recognition extends AutoCloseable {

    /** Feeds 16-bit mono samples at {@link #sampleRate()}; tells what has been heard so far. */
    Hypothesis accept(short[] samples);

    /** Ends the current utterance: its final text; the recognition is ready for the next utterance. */
    Hypothesis finish();

    /**
     * Whether the caller was just asked a yes/no question: the recognizer then also listens for the dialogue's short
     * answers (yes, no, repeat, a person), which it hears far better on their own than among all the knowledge
     * base's words, while a new question is still heard as one. Safe to call from any thread; applies from the next
     * audio fed.
     */
    default void expectShortAnswer(boolean expected) {
    }

    @Override
    void close();
  }

  /**
   * What was heard.
   *
   * @param text       the words, without ones the recognizer was unsure of
   * @param heardWords whether any word at all (sure or not) was heard: the caller is speaking
   * @param endpoint   whether the recognizer found the utterance's end (trailing silence)
   * @param confidence the mean word confidence of {@code text} (0..1), 0 for no words
   */
  record Hypothesis(String text, boolean heardWords, boolean endpoint, double confidence) {
    public static final Hypothesis NOTHING = new Hypothesis("", false, false, 0);
  }
}
