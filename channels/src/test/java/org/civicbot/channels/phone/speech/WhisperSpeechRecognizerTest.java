package org.civicbot.channels.phone.speech;

import org.civicbot.channels.phone.speech.SpeechRecognizer.Hypothesis;
import org.civicbot.channels.phone.speech.SpeechRecognizer.Recognition;
import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recognizer on a generated model of tiny dimensions: real whisper.cpp loading and decoding, random weights. */
class WhisperSpeechRecognizerTest {
  private static final long SEED = 20250109L;
  private static final BiFunction<String, Language, List<String>> PHRASES =
      (tenant, lang) -> List.of("affald", "genbrug", "ja", "nej");

  @TempDir
  static Path dir;
  static Path model;

  @BeforeAll
  static void writeModel() throws IOException {
    // end of text from decoder position 40: a few words per utterance, as a real model says
    model = new GgmlModelWriter(GgmlModelWriter.Dims.test().withEotFrom(40).withWords(List.of("affald", "genbrug")),
        SEED).write(dir.resolve("test-model.bin"));
  }

  private static WhisperSpeechRecognizer load(int pool) {
    return WhisperSpeechRecognizer.load(WhisperSpeechRecognizer.Settings.builder()
        .model(Language.DA, model, "CIVICBOT_WHISPER_MODEL_DA").threads(1).pool(pool).build(), PHRASES);
  }

  @Test
  void should_report_speaking_then_an_endpoint_with_text_given_a_voice_burst_and_silence() {
    SyntheticAudio audio = new SyntheticAudio(SEED);
    try (WhisperSpeechRecognizer recognizer = load(1);
         Recognition recognition = recognizer.open("eksempel", Language.DA)) {
      List<Hypothesis> heard = new ArrayList<>();
      for (short[] batch : SyntheticAudio.batches(SyntheticAudio.concat(audio.quiet(400), audio.voice(1200),
          audio.quiet(1200)))) {
        heard.add(recognition.accept(batch));
      }
      int firstSpeaking = indexOf(heard, h -> h.heardWords() && !h.endpoint());
      int endpoint = indexOf(heard, Hypothesis::endpoint);
      assertTrue(firstSpeaking >= 0, "speaking reported");
      assertTrue(endpoint > firstSpeaking, "endpoint " + endpoint + " after speaking " + firstSpeaking);
      assertEquals(1, heard.stream().filter(Hypothesis::endpoint).count());
      Hypothesis end = heard.get(endpoint);
      assertFalse(end.text().isBlank(), "the random model always says something");
      assertTrue(end.heardWords());
      assertEquals(1.0, end.confidence());
      assertEquals(1, recognizer.stats().transcriptions());
    }
  }

  @Test
  void should_transcribe_what_is_buffered_on_finish_and_nothing_when_nothing_was_said() {
    SyntheticAudio audio = new SyntheticAudio(SEED + 1);
    try (WhisperSpeechRecognizer recognizer = load(1);
         Recognition recognition = recognizer.open("eksempel", Language.DA)) {
      Hypothesis silence = recognition.finish();
      assertTrue(silence.endpoint());
      assertFalse(silence.heardWords());
      assertEquals(0, recognizer.stats().transcriptions(), "silence is not transcribed");

      SyntheticAudio.batches(SyntheticAudio.concat(audio.quiet(300), audio.voice(800)))
          .forEach(b -> assertFalse(recognition.accept(b).endpoint(), "no endpoint while speaking"));
      Hypothesis finished = recognition.finish();
      assertTrue(finished.endpoint());
      assertTrue(finished.heardWords());
      assertFalse(finished.text().isBlank());
      assertEquals(1, recognizer.stats().transcriptions());
    }
  }

  @Test
  void should_run_one_transcription_at_a_time_given_a_pool_of_one_and_three_callers() throws Exception {
    SyntheticAudio audio = new SyntheticAudio(SEED + 2);
    short[] speech = SyntheticAudio.concat(audio.quiet(300), audio.voice(1000));
    ExecutorService callers = Executors.newFixedThreadPool(3);
    try (WhisperSpeechRecognizer recognizer = load(1)) {
      List<Recognition> recognitions = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Recognition r = recognizer.open("eksempel", Language.DA);
        SyntheticAudio.batches(speech).forEach(r::accept);
        recognitions.add(r);
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Hypothesis>> results = new ArrayList<>();
      for (Recognition r : recognitions) {
        results.add(callers.submit(() -> {
          start.await();
          return r.finish();
        }));
      }
      start.countDown();
      for (Future<Hypothesis> f : results) {
        assertTrue(f.get().endpoint());
      }
      WhisperSpeechRecognizer.Stats stats = recognizer.stats();
      assertEquals(3, stats.transcriptions());
      assertEquals(1, stats.maxConcurrent());
      recognitions.forEach(Recognition::close);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void should_name_the_setting_given_a_missing_model_file() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> loadFile(dir.resolve("nowhere.bin")));
    assertTrue(e.getMessage().startsWith("CIVICBOT_WHISPER_MODEL_EN: '"), e.getMessage());
    assertTrue(e.getMessage().contains("nowhere.bin' is not a whisper ggml model file (no such file)"),
        e.getMessage());
  }

  @Test
  void should_name_the_setting_given_random_bytes() throws IOException {
    byte[] noise = new byte[4096];
    new SplittableRandom(SEED).nextBytes(noise);
    Path file = Files.write(dir.resolve("noise.bin"), noise);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loadFile(file));
    assertTrue(e.getMessage().startsWith("CIVICBOT_WHISPER_MODEL_EN: '"), e.getMessage());
    assertTrue(e.getMessage().contains("not the ggml magic 0x67676d6c"), e.getMessage());
  }

  @Test
  void should_name_the_setting_given_a_truncated_model() throws IOException {
    byte[] whole = Files.readAllBytes(model);
    for (int cut : new int[] {60, 200_000, whole.length / 2, whole.length - 1}) {
      Path file = Files.write(dir.resolve("cut-" + cut + ".bin"), Arrays.copyOf(whole, cut));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loadFile(file), "cut " + cut);
      assertTrue(e.getMessage().startsWith("CIVICBOT_WHISPER_MODEL_EN: '"), e.getMessage());
      assertTrue(e.getMessage().contains("is not a whisper ggml model file (truncated"), e.getMessage());
    }
  }

  @Test
  void should_find_no_problem_given_the_whole_generated_model() {
    assertEquals(java.util.Optional.empty(), WhisperSpeechRecognizer.modelFileProblem(model));
  }

  @Test
  void should_refuse_a_language_without_a_model() {
    try (WhisperSpeechRecognizer recognizer = load(1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> recognizer.open("eksempel", Language.EN));
      assertEquals("no whisper model for en", e.getMessage());
    }
  }

  @Test
  void should_drop_what_whisper_writes_for_silence_and_noise() {
    assertEquals("", WhisperSpeechRecognizer.withoutNonSpeech(""));
    assertEquals("", WhisperSpeechRecognizer.withoutNonSpeech(" [BLANK_AUDIO]"));
    assertEquals("", WhisperSpeechRecognizer.withoutNonSpeech(" (musik) [Applaus] *hoster* ♪"));
    assertEquals("", WhisperSpeechRecognizer.withoutNonSpeech(" ..."));
    assertEquals("", WhisperSpeechRecognizer.withoutNonSpeech(" Undertekster af Nicolai Winther"));
    assertEquals("Hvornår hentes affaldet?",
        WhisperSpeechRecognizer.withoutNonSpeech(" [BLANK_AUDIO] Hvornår hentes affaldet?"));
  }

  @Test
  void should_give_an_utterance_enough_audio_context_and_no_more_than_configured_when_short() {
    assertEquals(512, WhisperSpeechRecognizer.audioContext(512, 16_000 * 4));
    assertEquals(16_000 * 20 / 320 + 16, WhisperSpeechRecognizer.audioContext(512, 16_000 * 20));
    assertEquals(0, WhisperSpeechRecognizer.audioContext(512, 16_000 * 30));
    assertEquals(0, WhisperSpeechRecognizer.audioContext(0, 16_000 * 4));
  }

  @Test
  void should_prompt_with_short_terms_only_and_within_the_budget() {
    List<String> phrases = new ArrayList<>(List.of("ja", "nej", "Affald", "affald",
        "hvornår bliver mit affald hentet i min kommune", "genbrugsplads"));
    for (int i = 0; i < 500; i++) {
      phrases.add("ord" + i);
    }
    String prompt = WhisperSpeechRecognizer.promptText(phrases);
    assertTrue(prompt.startsWith("ja, nej, Affald, genbrugsplads, ord0, "), prompt);
    assertTrue(prompt.length() <= WhisperSpeechRecognizer.MAX_PROMPT_CHARS, "length " + prompt.length());
    assertFalse(prompt.contains("hentet"));
  }

  @Test
  void should_reject_settings_out_of_range_quoting_the_value() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WhisperSpeechRecognizer.Settings.builder().pool(0).build());
    assertEquals("pool must be from 1 to 64, but was 0", e.getMessage());
  }

  private static void loadFile(Path file) {
    WhisperSpeechRecognizer.load(WhisperSpeechRecognizer.Settings.builder()
        .model(Language.EN, file, "CIVICBOT_WHISPER_MODEL_EN").threads(1).build(), PHRASES).close();
  }

  private static int indexOf(List<Hypothesis> list, java.util.function.Predicate<Hypothesis> p) {
    for (int i = 0; i < list.size(); i++) {
      if (p.test(list.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
