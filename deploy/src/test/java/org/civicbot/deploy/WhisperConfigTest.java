package org.civicbot.deploy;

import org.civicbot.channels.phone.speech.GgmlModelWriter;
import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WhisperConfigTest {
  @TempDir
  Path dir;

  @Test
  void should_choose_whisper_only_for_languages_given_a_model() throws IOException {
    Path model = new GgmlModelWriter(GgmlModelWriter.Dims.test(), 3).write(dir.resolve("da.bin"));
    Config config = Config.fromEnvironment(Map.of("CIVICBOT_WHISPER_MODEL_DA", model.toString(),
        "CIVICBOT_WHISPER_THREADS", "2", "CIVICBOT_WHISPER_POOL", "3", "CIVICBOT_WHISPER_AUDIO_CTX", "0"));
    assertEquals(Set.of(Language.DA), config.whisper().models().keySet());
    assertEquals("CIVICBOT_WHISPER_MODEL_DA", config.whisper().models().get(Language.DA).setting());
    assertEquals(2, config.whisper().threads());
    assertEquals(3, config.whisper().pool());
    assertEquals(0, config.whisper().audioCtx());
    assertTrue(config.voskModels().containsKey(Language.EN), "Vosk stays English's recognizer");
  }

  @Test
  void should_stop_startup_naming_the_setting_given_a_file_that_is_not_a_model() throws IOException {
    Path text = Files.writeString(dir.resolve("x.bin"), "not a model");
    Config.ConfigException e = assertThrows(Config.ConfigException.class,
        () -> Config.fromEnvironment(Map.of("CIVICBOT_WHISPER_MODEL_DA", text.toString())));
    assertTrue(e.getMessage().startsWith("CIVICBOT_WHISPER_MODEL_DA must name a whisper ggml model file, but '"
        + text + "' is not one (starts with 0x"), e.getMessage());
    Config.ConfigException missing = assertThrows(Config.ConfigException.class,
        () -> Config.fromEnvironment(Map.of("CIVICBOT_WHISPER_MODEL_EN", dir.resolve("none.bin").toString())));
    assertTrue(missing.getMessage().endsWith("none.bin' is not one (no such file)"), missing.getMessage());
  }

  @Test
  void should_stop_startup_naming_the_setting_given_a_pool_out_of_range() {
    Config.ConfigException e = assertThrows(Config.ConfigException.class,
        () -> Config.fromEnvironment(Map.of("CIVICBOT_WHISPER_POOL", "0")));
    assertEquals("CIVICBOT_WHISPER_POOL must be a whole number from 1 to 64, but was '0'", e.getMessage());
  }
}
