package org.civicbot.deploy;

import org.civicbot.channels.phone.speech.SpeechRecognizer;
import org.civicbot.channels.phone.speech.VoskSpeechRecognizer;
import org.civicbot.channels.phone.speech.WhisperSpeechRecognizer;
import org.civicbot.knowledge.Language;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The phone line's speech recognizer as configured: Whisper for each language given a whisper model
 * ({@code CIVICBOT_WHISPER_MODEL_<LANG>}), Vosk for the others (English by default).
 */
final class PhoneRecognizers {

  private PhoneRecognizers() {
  }

  /**
   * Loads the models (blocking). A whisper model that cannot be loaded is an {@link IllegalArgumentException} naming
   * its setting.
   */
  static SpeechRecognizer load(Config config, BiFunction<String, Language, List<String>> phrases,
                               Function<Language, List<String>> shortAnswers) {
    WhisperSpeechRecognizer.Settings whisperSettings = config.whisper();
    Map<Language, Path> voskModels = new EnumMap<>(Language.class);
    config.voskModels().forEach((lang, dir) -> {
      if (!whisperSettings.models().containsKey(lang)) {
        voskModels.put(lang, dir);
      }
    });
    if (whisperSettings.models().isEmpty()) {
      return VoskSpeechRecognizer.load(voskModels, phrases, shortAnswers);
    }
    WhisperSpeechRecognizer whisper = WhisperSpeechRecognizer.load(whisperSettings, phrases);
    if (voskModels.isEmpty()) {
      return whisper;
    }
    VoskSpeechRecognizer vosk = VoskSpeechRecognizer.load(voskModels, phrases, shortAnswers);
    Map<Language, SpeechRecognizer> byLanguage = new EnumMap<>(Language.class);
    voskModels.keySet().forEach(lang -> byLanguage.put(lang, vosk));
    whisper.languages().forEach(lang -> byLanguage.put(lang, whisper));
    return SpeechRecognizer.perLanguage(byLanguage);
  }
}
