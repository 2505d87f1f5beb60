package org.civicbot.channels.phone.speech;

import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LanguageRoutedRecognizerTest {

  /** A recognizer that records which languages it was opened in. */
  private static final class Fake implements SpeechRecognizer {
    final int rate;
    final Set<Language> langs;
    final List<Language> opened = new ArrayList<>();
    int closed;

    Fake(int rate, Language... langs) {
      this.rate = rate;
      this.langs = Set.of(langs);
    }

    @Override
    public String name(Language lang) {
      return "fake-" + rate + "-" + langs.size();
    }

    @Override
    public int sampleRate() {
      return rate;
    }

    @Override
    public Set<Language> languages() {
      return langs;
    }

    @Override
    public Recognition open(String tenantId, Language lang) {
      opened.add(lang);
      return new Recognition() {
        @Override
        public Hypothesis accept(short[] samples) {
          return Hypothesis.NOTHING;
        }

        @Override
        public Hypothesis finish() {
          return Hypothesis.NOTHING;
        }

        @Override
        public void close() {
        }
      };
    }

    @Override
    public void close() {
      closed++;
    }
  }

  @Test
  void should_open_each_language_with_its_own_recognizer() {
    Fake whisper = new Fake(16_000, Language.DA);
    Fake vosk = new Fake(16_000, Language.DA, Language.EN);
    SpeechRecognizer routed = SpeechRecognizer.perLanguage(Map.of(Language.DA, whisper, Language.EN, vosk));

    routed.open("t", Language.DA);
    routed.open("t", Language.EN);

    assertEquals(List.of(Language.DA), whisper.opened);
    assertEquals(List.of(Language.EN), vosk.opened);
    assertEquals(16_000, routed.sampleRate());
    assertEquals(Set.of(Language.DA, Language.EN), routed.languages());
    assertEquals(whisper.name(Language.DA), routed.name(Language.DA), "the transcript names the one that heard");
    assertEquals(vosk.name(Language.EN), routed.name(Language.EN));
  }

  @Test
  void should_offer_only_languages_whose_recognizer_has_a_model() {
    Fake whisper = new Fake(16_000, Language.DA);
    Fake voskWithoutModels = new Fake(16_000);
    SpeechRecognizer routed = SpeechRecognizer.perLanguage(Map.of(Language.DA, whisper,
        Language.EN, voskWithoutModels));
    assertEquals(Set.of(Language.DA), routed.languages());
  }

  @Test
  void should_reject_recognizers_of_different_sample_rates() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpeechRecognizer.perLanguage(
        Map.of(Language.DA, new Fake(16_000, Language.DA), Language.EN, new Fake(8_000, Language.EN))));
    assertEquals("all recognizers must take one sample rate, but they take {da=16000, en=8000}", e.getMessage());
  }

  @Test
  void should_refuse_a_language_without_a_recognizer() {
    SpeechRecognizer routed = SpeechRecognizer.perLanguage(Map.of(Language.DA, new Fake(16_000, Language.DA)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> routed.open("t", Language.EN));
    assertEquals("no speech model for en", e.getMessage());
  }

  @Test
  void should_close_a_recognizer_serving_two_languages_once() {
    Fake both = new Fake(16_000, Language.DA, Language.EN);
    Fake other = new Fake(16_000, Language.DA);
    SpeechRecognizer.perLanguage(Map.of(Language.DA, both, Language.EN, both)).close();
    assertEquals(1, both.closed);
    assertTrue(other.closed == 0);
  }
}
