package org.civicbot.channels.phone.audio;

/**
 * Band-limited sample-rate conversion between rational rates (8 kHz telephone audio to the recognizer's 16 kHz, the
 * voice's 22.05 kHz to 8 kHz) by polyphase windowed-sinc interpolation: a Kaiser-windowed sinc low-pass with its
 * cutoff just under the lower rate's Nyquist frequency, so nothing aliases. Linear interpolation, by contrast,
 * measurably ruins speech recognition. Streaming: feeding a signal in chunks of any size gives the same output as
 * feeding it whole. Not thread-safe: one instance per stream.
 */
public final class Resampler {
  private static final int ZERO_CROSSINGS = 16;
  private static final double CUTOFF = 0.9;
  private static final double KAISER_BETA = 8.6;

  private final int up;
  private final int down;
  private final int half;
  private final float[][] phases;
  /** Input samples from absolute index {@code start}, the ones output still needs. */
  private float[] buffer = new float[0];
  private long start;
  private long received;
  private long produced;

  public Resampler(int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException("sample rates must be positive");
    }
    int g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    double fc = Math.min(1.0, (double) outRate / inRate) * CUTOFF;
    this.half = (int) Math.ceil(ZERO_CROSSINGS / fc);
    this.phases = new float[up][2 * half];
    for (int p = 0; p < up; p++) {
      double frac = (double) p / up;
      double sum = 0;
      double[] w = new double[2 * half];
      for (int j = 0; j < 2 * half; j++) {
        double tau = frac - (j - half + 1);
        w[j] = fc * sinc(fc * tau) * kaiser(tau / half);
        sum += w[j];
      }
      for (int j = 0; j < 2 * half; j++) {
        phases[p][j] = (float) (w[j] / sum);
      }
    }
    this.start = -half;
    this.buffer = new float[half];
  }

  /** Converts a whole signal. */
  public static short[] resample(short[] in, int inRate, int outRate) {
    Resampler r = new Resampler(inRate, outRate);
    short[] body = r.process(in);
    short[] tail = r.flush();
    short[] out = java.util.Arrays.copyOf(body, body.length + tail.length);
    System.arraycopy(tail, 0, out, body.length, tail.length);
    return out;
  }

  /** Feeds samples; returns the output samples they complete. */
  public short[] process(short[] in) {
    append(in);
    received += in.length;
    return drain(Long.MAX_VALUE);
  }

  /** The remaining output, as if the input were followed by silence; the resampler is spent afterwards. */
  public short[] flush() {
    long total = (received * up + down - 1) / down;
    append(new short[half + 1]);
    return drain(total);
  }

  private void append(short[] in) {
    float[] grown = java.util.Arrays.copyOf(buffer, buffer.length + in.length);
    for (int i = 0; i < in.length; i++) {
      grown[buffer.length + i] = in[i];
    }
    buffer = grown;
  }

  private short[] drain(long limit) {
    long available = start + buffer.length;
    short[] out = new short[(int) Math.max(0, Math.min(limit - produced, (available * up) / down - produced + 1))];
    int n = 0;
    while (produced < limit && n < out.length) {
      long position = produced * down;
      long base = position / up;
      int phase = (int) (position % up);
      if (base + half >= available) {
        break;
      }
      float[] w = phases[phase];
      int offset = (int) (base - half + 1 - start);
      double acc = 0;
      for (int j = 0; j < w.length; j++) {
        acc += w[j] * buffer[offset + j];
      }
      out[n++] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(acc)));
      produced++;
    }
    long keepFrom = (produced * down) / up - half + 1;
    if (keepFrom > start) {
      int drop = (int) Math.min(buffer.length, keepFrom - start);
      buffer = java.util.Arrays.copyOfRange(buffer, drop, buffer.length);
      start += drop;
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  private static double sinc(double x) {
    return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
  }

  private static double kaiser(double x) {
    if (Math.abs(x) > 1) {
      return 0;
    }
    return besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / besselI0(KAISER_BETA);
  }

  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    for (int k = 1; k < 50; k++) {
      term *= (x / (2 * k)) * (x / (2 * k));
      sum += term;
      if (term < 1e-12 * sum) {
        break;
      }
    }
    return sum;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
