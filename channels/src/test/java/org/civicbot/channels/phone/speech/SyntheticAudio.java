package org.civicbot.channels.phone.speech;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded 16 kHz test audio: a quiet line, a voiced burst (harmonics of a pitch), and 60 ms batches of it. */
final class SyntheticAudio {
  private final SplittableRandom random;

  SyntheticAudio(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Line noise about 65 dB below full scale. */
  short[] quiet(int millis) {
    short[] s = new short[millis * 16];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) ((random.nextDouble() * 2 - 1) * 20);
    }
    return s;
  }

  /** A vowel-like sound: 140 Hz and its harmonics, slowly modulated, about 20 dB below full scale. */
  short[] voice(int millis) {
    short[] s = new short[millis * 16];
    for (int i = 0; i < s.length; i++) {
      double t = i / 16_000.0;
      double v = 0;
      for (int h = 1; h <= 6; h++) {
        v += Math.sin(2 * Math.PI * 140 * h * t) / h;
      }
      s[i] = (short) (v * 2500 * (0.7 + 0.3 * Math.sin(2 * Math.PI * 3 * t)));
    }
    return s;
  }

  static short[] concat(short[]... parts) {
    int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    short[] out = new short[n];
    int at = 0;
    for (short[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** The audio as the phone session feeds it: 60 ms at a time. */
  static List<short[]> batches(short[] audio) {
    List<short[]> out = new ArrayList<>();
    for (int i = 0; i < audio.length; i += 960) {
      out.add(Arrays.copyOfRange(audio, i, Math.min(audio.length, i + 960)));
    }
    return out;
  }
}
