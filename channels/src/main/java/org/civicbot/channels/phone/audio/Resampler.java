package org.civicbot.channels.phone.audio;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Band-limited sample-rate conversion (8 kHz telephone audio to the recognizer's 16 kHz, a voice's 22.05 kHz to
 * 8 kHz) by polyphase windowed-sinc interpolation. Linear interpolation would be cheaper, but it measurably ruins
 * speech recognition. Streaming: feeding a signal in chunks of any size gives exactly the output of feeding it whole.
 * Not thread-safe: one instance per stream.
 */
public final class Resampler {
  /** The low-pass cutoff (-6 dB) as a share of the lower rate's Nyquist frequency. */
  private static final double CUTOFF = 0.9;
  /**
   * Zero crossings of the sinc on each side. 32 would leave a 3.5 kHz tone 1 dB down at 8 kHz; 64 keeps it within
   * 0.1 dB, which telephone speech (up to 3.4 kHz) deserves.
   */
  private static final int ZERO_CROSSINGS = 64;
  /** Some 80 dB of stopband attenuation, more than mu-law's dynamic range. */
  private static final double KAISER_BETA = 7.0;
  private static final double KAISER_SCALE = 1 / besselI0(KAISER_BETA);
  /** Bounds the precomputed table (phases times taps floats) for rates with an awkward ratio. */
  private static final int MAX_PHASES = 1_024;
  /** Filter tables by ratio, computed once: 22.05 kHz to 8 kHz takes some 10 ms, too slow for every utterance. */
  private static final Map<Long, float[][]> FILTERS = new ConcurrentHashMap<>();

  private final int up;
  private final int down;
  /** Each output takes {@code 2 * half} input samples: {@code half} up to its position, {@code half} after. */
  private final int half;
  /** One filter per fractional position {@code p / up} of an output between two input samples. */
  private final float[][] phases;

  /** Input samples from absolute index {@code bufferStart}: the ones the next outputs still need. */
  private float[] buffer;
  private int buffered;
  private long bufferStart;
  private long received;
  private long produced;
  private boolean flushed;

  public Resampler(int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException("sample rates must be positive, but were " + inRate + " and " + outRate);
    }
    int g = gcd(inRate, outRate);
    int up = outRate / g;
    int down = inRate / g;
    if (up > MAX_PHASES) {
      throw new IllegalArgumentException("cannot resample " + inRate + " Hz to " + outRate + " Hz: the ratio "
          + up + "/" + down + " would need " + up + " filter phases, more than " + MAX_PHASES);
    }
    this.up = up;
    this.down = down;
    this.phases = FILTERS.computeIfAbsent(((long) up << 32) | down, key -> phases(up, down));
    this.half = phases[0].length / 2;
    // Silence before the signal, so the first outputs have their history.
    this.buffer = new float[4 * half];
    this.buffered = half - 1;
    this.bufferStart = -(half - 1);
  }

  /** Converts a whole signal: {@code ceil(in.length * outRate / inRate)} samples. */
  public static short[] resample(short[] in, int inRate, int outRate) {
    Resampler resampler = new Resampler(inRate, outRate);
    short[] body = resampler.process(in);
    short[] tail = resampler.flush();
    short[] out = Arrays.copyOf(body, body.length + tail.length);
    System.arraycopy(tail, 0, out, body.length, tail.length);
    return out;
  }

  /** Feeds samples; returns the output samples they complete. The filter looks ahead, so this lags under 10 ms. */
  public short[] process(short[] in) {
    if (flushed) {
      throw new IllegalStateException("the resampler was flushed; use a new one for a new stream");
    }
    append(in);
    received += in.length;
    return drain(Long.MAX_VALUE);
  }

  /**
   * Returns the rest of the output, as if the input were followed by silence, up to {@code ceil(received *
   * outRate / inRate)} samples in all. The resampler is spent afterwards.
   */
  public short[] flush() {
    if (flushed) {
      throw new IllegalStateException("the resampler was already flushed");
    }
    flushed = true;
    append(new short[half]);
    return drain(ceilDiv(received * up, down));
  }

  private void append(short[] in) {
    if (buffered + in.length > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, buffered + in.length));
    }
    for (int i = 0; i < in.length; i++) {
      buffer[buffered + i] = in[i];
    }
    buffered += in.length;
  }

  /** Computes the outputs whose inputs are all buffered, up to {@code limit} in all, and drops spent inputs. */
  private short[] drain(long limit) {
    long end = bufferStart + buffered;
    // Output n sits at input position n * down / up and needs inputs up to floor(that) + half.
    long ready = Math.min(limit, ceilDiv((end - half) * up, down));
    short[] out = new short[(int) Math.max(0, ready - produced)];
    for (int i = 0; i < out.length; i++, produced++) {
      long position = produced * down;
      float[] taps = phases[(int) (position % up)];
      int offset = (int) (position / up - half + 1 - bufferStart);
      double sum = 0;
      for (int j = 0; j < taps.length; j++) {
        sum += taps[j] * buffer[offset + j];
      }
      out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(sum)));
    }
    int spent = (int) Math.max(0, Math.min(buffered, (produced * down) / up - half + 1 - bufferStart));
    System.arraycopy(buffer, spent, buffer, 0, buffered - spent);
    buffered -= spent;
    bufferStart += spent;
    return out;
  }

  private static float[][] phases(int up, int down) {
    double fc = Math.min(1.0, (double) up / down) * CUTOFF;
    int half = (int) Math.ceil(ZERO_CROSSINGS / fc);
    float[][] phases = new float[up][];
    for (int p = 0; p < up; p++) {
      phases[p] = filter((double) p / up, fc, half);
    }
    return phases;
  }

  /**
   * The Kaiser-windowed sinc low-pass for an output {@code frac} of the way from input {@code k = 0} to {@code k =
   * 1}, applied to inputs {@code k = -half + 1 .. half}; normalized to unit gain at 0 Hz.
   */
  private static float[] filter(double frac, double fc, int half) {
    double[] w = new double[2 * half];
    double sum = 0;
    for (int j = 0; j < w.length; j++) {
      double t = frac - (j - half + 1);
      w[j] = fc * sinc(fc * t) * kaiser(t / half);
      sum += w[j];
    }
    float[] taps = new float[w.length];
    for (int j = 0; j < w.length; j++) {
      taps[j] = (float) (w[j] / sum);
    }
    return taps;
  }

  private static double sinc(double x) {
    return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
  }

  private static double kaiser(double x) {
    return Math.abs(x) > 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) * KAISER_SCALE;
  }

  /** The modified Bessel function of the first kind, order 0, by its power series. */
  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    for (int k = 1; term > 1e-12 * sum; k++) {
      term *= (x / (2 * k)) * (x / (2 * k));
      sum += term;
    }
    return sum;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
