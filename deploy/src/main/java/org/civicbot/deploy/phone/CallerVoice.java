package org.civicbot.deploy.phone;

import org.civicbot.channels.phone.audio.MuLaw;
import org.civicbot.channels.phone.audio.Resampler;
import org.vosk.LibVosk;
import org.vosk.Model;
import org.vosk.Recognizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A caller's voice and ear for phone tests: speech synthesized with espeak-ng and turned into the 8 kHz mu-law a
 * phone network delivers by sox; and a full-vocabulary Vosk recognizer (no grammar: it knows nothing of the
 * knowledge base) that hears what the bot said back.
 */
public final class CallerVoice {
  private static Model model;

  private CallerVoice() {
  }

  /** {@code text} spoken by espeak-ng's American English voice, as 8 kHz mu-law. */
  public static byte[] say(String text) {
    return sox(wav(text), List.of("-r", "8000", "-c", "1", "-t", "ul", "-"));
  }

  /** {@code text} spoken by espeak-ng's American English voice, as WAV. */
  public static byte[] wav(String text) {
    return run(List.of("espeak-ng", "-v", "en-us", "-s", "150", "--stdout", text), new byte[0]);
  }

  /** WAV audio converted by sox to the output format {@code output} describes (sox's arguments after the input). */
  public static byte[] sox(byte[] wav, List<String> output) {
    List<String> command = new java.util.ArrayList<>(List.of("sox", "-t", "wav", "-"));
    command.addAll(output);
    return run(command, wav);
  }

  /** What a full-vocabulary recognizer hears in 8 kHz mu-law audio. */
  public static synchronized String hear(byte[] ulaw) {
    try {
      if (model == null) {
        LibVosk.vosk_set_log_level(-2);
        model = new Model(model().toString());
      }
      short[] pcm = Resampler.resample(MuLaw.decode(ulaw), 8_000, 16_000);
      try (Recognizer recognizer = new Recognizer(model, 16_000)) {
        recognizer.acceptWaveForm(pcm, pcm.length);
        return new io.vertx.core.json.JsonObject(recognizer.getFinalResult()).getString("text", "");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The English model the build unpacks next to the jar (or {@code CIVICBOT_VOSK_MODEL_EN}). */
  static Path model() {
    return org.civicbot.deploy.Config.fromEnvironment(System.getenv()).voskModels()
        .get(org.civicbot.knowledge.Language.EN);
  }

  private static byte[] run(List<String> command, byte[] input) {
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Thread writer = new Thread(() -> {
        try (var in = process.getOutputStream()) {
          in.write(input);
        } catch (IOException ignored) {
          // the program does not read standard input
        }
      });
      writer.start();
      byte[] out = process.getInputStream().readAllBytes();
      if (process.waitFor() != 0 || out.length == 0) {
        throw new IllegalStateException(command.get(0) + " failed; is it installed? (apt-get install espeak-ng sox)");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(command.get(0) + " could not run; install espeak-ng and sox", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
