package org.civicbot.channels.phone.speech;

import org.civicbot.knowledge.Language;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Local text-to-speech with espeak-ng (Debian package {@code espeak-ng}), which speaks Danish and English. The text
 * goes to the process on standard input (never on the command line), the WAV comes back on standard output and is
 * read as it is produced; nothing is written to disk.
 */
public final class EspeakSynthesizer implements SpeechSynthesizer {
  private static final int CHUNK_SAMPLES = 1_600;

  private final String executable;
  private final Map<Language, String> voices;
  private final int wordsPerMinute;

  public EspeakSynthesizer(String executable, Map<Language, String> voices, int wordsPerMinute) {
    this.executable = executable;
    this.voices = Map.copyOf(voices);
    this.wordsPerMinute = wordsPerMinute;
  }

  /** espeak-ng from the PATH with its Danish voice and American English (which the bundled recognizer knows best). */
  public static EspeakSynthesizer standard() {
    return new EspeakSynthesizer("espeak-ng", Map.of(Language.DA, "da", Language.EN, "en-us"), 160);
  }

  /** Whether the espeak-ng program can be run here. */
  public boolean available() {
    try {
      Process p = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public boolean speaks(Language lang) {
    return voices.containsKey(lang);
  }

  @Override
  public Speech speak(String text, Language lang) throws IOException {
    String voice = voices.get(lang);
    if (voice == null) {
      throw new IllegalArgumentException("no voice for " + lang.code());
    }
    Process process = new ProcessBuilder(List.of(executable, "-v", voice, "-s", String.valueOf(wordsPerMinute),
        "--stdout", "--stdin"))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try (var in = process.getOutputStream()) {
      in.write(text.replace('\n', ' ').getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    DataInputStream wav = new DataInputStream(process.getInputStream());
    int sampleRate = readWavHeader(wav);
    return new EspeakSpeech(process, wav, sampleRate);
  }

  /** Reads a RIFF/WAVE header up to the start of the data chunk; returns the sample rate (16-bit mono expected). */
  static int readWavHeader(DataInputStream in) throws IOException {
    byte[] riff = in.readNBytes(12);
    if (riff.length < 12 || riff[0] != 'R' || riff[8] != 'W') {
      throw new IOException("espeak-ng did not produce WAV audio");
    }
    int sampleRate = 0;
    while (true) {
      byte[] header = in.readNBytes(8);
      if (header.length < 8) {
        throw new EOFException("WAV without a data chunk");
      }
      String id = new String(header, 0, 4, java.nio.charset.StandardCharsets.US_ASCII);
      int size = ByteBuffer.wrap(header, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (id.equals("fmt ")) {
        ByteBuffer fmt = ByteBuffer.wrap(in.readNBytes(size)).order(ByteOrder.LITTLE_ENDIAN);
        int channels = fmt.getShort(2);
        sampleRate = fmt.getInt(4);
        int bits = fmt.getShort(14);
        if (channels != 1 || bits != 16) {
          throw new IOException("expected 16-bit mono WAV, got " + channels + " channels of " + bits + " bits");
        }
      } else if (id.equals("data")) {
        if (sampleRate == 0) {
          throw new IOException("WAV data before its format");
        }
        return sampleRate;
      } else {
        in.skipNBytes(size);
      }
    }
  }

  private static final class EspeakSpeech implements Speech {
    private final Process process;
    private final InputStream in;
    private final int sampleRate;
    private int pendingByte = -1;

    EspeakSpeech(Process process, InputStream in, int sampleRate) {
      this.process = process;
      this.in = in;
      this.sampleRate = sampleRate;
    }

    @Override
    public int sampleRate() {
      return sampleRate;
    }

    @Override
    public short[] read() throws IOException {
      byte[] buffer = new byte[CHUNK_SAMPLES * 2];
      int offset = 0;
      if (pendingByte >= 0) {
        buffer[offset++] = (byte) pendingByte;
        pendingByte = -1;
      }
      int n = in.read(buffer, offset, buffer.length - offset);
      if (n < 0) {
        return null;
      }
      int length = offset + Math.max(0, n);
      if (length % 2 == 1) {
        pendingByte = buffer[length - 1] & 0xFF;
        length--;
      }
      short[] samples = new short[length / 2];
      ByteBuffer.wrap(buffer, 0, length).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
      return samples;
    }

    @Override
    public void close() {
      process.destroy();
      try {
        in.close();
      } catch (IOException ignored) {
        // the process is gone
      }
    }
  }
}
