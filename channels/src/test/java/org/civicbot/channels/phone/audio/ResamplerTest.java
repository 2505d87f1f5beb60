package org.civicbot.channels.phone.audio;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResamplerTest {
  private static final int[][] RATES = {{8_000, 16_000}, {16_000, 8_000}, {22_050, 8_000}, {24_000, 8_000},
      {22_050, 16_000}};
  private static final double AMPLITUDE = 10_000;
  /** Output samples skipped at either end, where the filter sees the silence around the signal. */
  private static final int SETTLE = 400;

  @Test
  void should_keep_frequency_and_amplitude_when_upsampling_8k_to_16k() {
    short[] out = Resampler.resample(tone(1_000, 8_000, 8_000), 8_000, 16_000);

    assertEquals(16_000, out.length);
    int n = 1_600; // 100 whole periods, so the tone falls on a DFT bin
    assertEquals(AMPLITUDE, amplitude(out, SETTLE, n, 1_000, 16_000), 0.05 * AMPLITUDE);
    assertTrue(toneShare(out, SETTLE, n, 1_000, 16_000) > 0.999, "the energy is not at 1 kHz any more");
  }

  @Test
  void should_keep_a_3_5_khz_tone_when_downsampling_16k_to_8k() {
    short[] out = Resampler.resample(tone(3_500, 16_000, 16_000), 16_000, 8_000);

    int n = 1_600;
    assertEquals(AMPLITUDE, amplitude(out, SETTLE, n, 3_500, 8_000), 0.05 * AMPLITUDE);
    assertTrue(toneShare(out, SETTLE, n, 3_500, 8_000) > 0.999, "the energy is not at 3.5 kHz any more");
  }

  @Test
  void should_suppress_the_alias_of_a_6_khz_tone_when_downsampling_16k_to_8k() {
    short[] out = Resampler.resample(tone(6_000, 16_000, 16_000), 16_000, 8_000);

    // Without a low-pass, 6 kHz folds to 8 - 6 = 2 kHz at 8 kHz.
    double alias = amplitude(out, SETTLE, 1_600, 2_000, 8_000);
    assertTrue(alias < AMPLITUDE * Math.pow(10, -30 / 20.0), "alias at 2 kHz has amplitude " + alias);
  }

  @Test
  void should_not_create_images_when_upsampling_8k_to_16k() {
    short[] out = Resampler.resample(tone(3_000, 8_000, 8_000), 8_000, 16_000);

    // Linear interpolation leaves an image of 3 kHz at 8 + (8 - 3) - 8 = 5 kHz only 13 dB down.
    double image = amplitude(out, SETTLE, 1_600, 5_000, 16_000);
    assertTrue(image < AMPLITUDE * Math.pow(10, -60 / 20.0), "image at 5 kHz has amplitude " + image);
  }

  @Test
  void should_keep_the_signal_in_time() {
    for (int[] rates : RATES) {
      int inRate = rates[0];
      int outRate = rates[1];
      short[] out = Resampler.resample(tone(440, inRate, inRate), inRate, outRate);
      short[] expected = tone(440, outRate, outRate);

      assertEquals(expected.length, out.length, inRate + " -> " + outRate);
      for (int i = SETTLE; i < out.length - SETTLE; i++) {
        assertEquals(expected[i], out[i], 10, inRate + " -> " + outRate + " at output sample " + i);
      }
    }
  }

  @Test
  void should_output_in_length_times_out_rate_over_in_rate() {
    short[] in = tone(440, 12_345, 22_050);
    long expected = (12_345L * 8_000 + 22_049) / 22_050;

    Resampler resampler = new Resampler(22_050, 8_000);
    short[] body = resampler.process(in);
    short[] tail = resampler.flush();

    assertEquals(expected, body.length + tail.length);
    assertTrue(tail.length < 8_000 / 50, "holds back more than 20 ms: " + tail.length + " samples");
    assertArrayEquals(concat(body, tail), Resampler.resample(in, 22_050, 8_000));
  }

  @Test
  void should_give_the_same_output_in_chunks_of_any_size() {
    long seed = 0x5EED_C1B1CL;
    Random random = new Random(seed);
    for (int[] rates : RATES) {
      String context = rates[0] + " -> " + rates[1] + ", seed " + seed;
      short[] in = new short[rates[0] / 2];
      for (int i = 0; i < in.length; i++) {
        in[i] = (short) (8_000 * Math.sin(i * 0.05) + random.nextGaussian() * 3_000);
      }

      Resampler resampler = new Resampler(rates[0], rates[1]);
      short[] chunked = new short[0];
      for (int from = 0; from < in.length; ) {
        int size = Math.min(in.length - from, random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(700));
        chunked = concat(chunked, resampler.process(Arrays.copyOfRange(in, from, from + size)));
        from += size;
      }
      chunked = concat(chunked, resampler.flush());

      assertArrayEquals(Resampler.resample(in, rates[0], rates[1]), chunked, context);
    }
  }

  @Test
  void should_clip_overshoot_to_the_short_range() {
    short[] in = new short[4_000];
    Arrays.fill(in, 2_000, 4_000, Short.MAX_VALUE);

    short[] out = Resampler.resample(in, 8_000, 16_000);

    // A band-limited step rings about 9 % above full scale; unclipped, the cast would wrap it to negative.
    for (int i = 4_000 + 16; i < out.length - SETTLE; i++) {
      assertTrue(out[i] > 30_000, "output sample " + i + " is " + out[i]);
    }
    assertEquals(Short.MAX_VALUE, Arrays.stream(toInts(out)).max().orElseThrow());
  }

  @Test
  void should_keep_silence_silent() {
    Resampler resampler = new Resampler(8_000, 16_000);

    short[] out = concat(resampler.process(new short[160]), resampler.flush());

    assertArrayEquals(new short[320], out);
  }

  @Test
  void should_reject_non_positive_rates() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Resampler(0, 8_000));

    assertTrue(e.getMessage().contains("0"), e.getMessage());
  }

  @Test
  void should_refuse_input_after_flush() {
    Resampler resampler = new Resampler(8_000, 16_000);
    resampler.flush();

    assertThrows(IllegalStateException.class, () -> resampler.process(new short[160]));
  }

  private static short[] tone(double frequency, int samples, int rate) {
    short[] out = new short[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * frequency * i / rate));
    }
    return out;
  }

  /** The amplitude of {@code frequency} in {@code n} samples from {@code from}, by the Goertzel algorithm. */
  private static double amplitude(short[] x, int from, int n, double frequency, int rate) {
    double coefficient = 2 * Math.cos(2 * Math.PI * frequency / rate);
    double s1 = 0;
    double s2 = 0;
    for (int i = from; i < from + n; i++) {
      double s = x[i] + coefficient * s1 - s2;
      s2 = s1;
      s1 = s;
    }
    double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    return 2 * Math.sqrt(power) / n;
  }

  /** The share of the energy of {@code n} samples from {@code from} that is at {@code frequency}. */
  private static double toneShare(short[] x, int from, int n, double frequency, int rate) {
    double total = 0;
    for (int i = from; i < from + n; i++) {
      total += (double) x[i] * x[i];
    }
    double a = amplitude(x, from, n, frequency, rate);
    return a * a / 2 * n / total;
  }

  private static short[] concat(short[] a, short[] b) {
    short[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int[] toInts(short[] x) {
    int[] out = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i];
    }
    return out;
  }
}
