package org.civicbot.channels.phone.audio;

/**
 * G.711 mu-law, the 8-bit audio of telephone networks and of Twilio Media Streams (8 kHz mono): 16-bit linear
 * samples compressed logarithmically into bytes, and back; plus the 16-bit little-endian byte form recognizers take.
 */
public final class MuLaw {
  private static final int BIAS = 0x84;
  private static final int CLIP = 32_635;
  private static final short[] DECODE = new short[256];

  static {
    for (int i = 0; i < 256; i++) {
      int u = ~i & 0xFF;
      int exponent = (u >> 4) & 0x07;
      int mantissa = u & 0x0F;
      int magnitude = ((mantissa << 3) + BIAS) << exponent;
      DECODE[i] = (short) ((u & 0x80) != 0 ? BIAS - magnitude : magnitude - BIAS);
    }
  }

  private MuLaw() {
  }

  /** Expands one mu-law byte to a linear sample. */
  public static short decode(byte ulaw) {
    return DECODE[ulaw & 0xFF];
  }

  /** Expands mu-law bytes to linear samples. */
  public static short[] decode(byte[] ulaw) {
    short[] pcm = new short[ulaw.length];
    for (int i = 0; i < ulaw.length; i++) {
      pcm[i] = DECODE[ulaw[i] & 0xFF];
    }
    return pcm;
  }

  /** Compresses one linear sample; magnitudes above 32635 are clipped. */
  public static byte encode(short sample) {
    int sign = sample < 0 ? 0x80 : 0;
    int magnitude = Math.min(CLIP, Math.abs(sample)) + BIAS;
    // The exponent is the position of the highest set bit among bits 7 to 14.
    int exponent = 31 - Integer.numberOfLeadingZeros(magnitude) - 7;
    int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  /** Compresses linear samples; magnitudes above 32635 are clipped. */
  public static byte[] encode(short[] pcm) {
    byte[] ulaw = new byte[pcm.length];
    for (int i = 0; i < pcm.length; i++) {
      ulaw[i] = encode(pcm[i]);
    }
    return ulaw;
  }

  /** Reads 16-bit little-endian PCM bytes as samples. */
  public static short[] pcm16le(byte[] littleEndian) {
    if (littleEndian.length % 2 != 0) {
      throw new IllegalArgumentException("16-bit PCM needs an even number of bytes, but got " + littleEndian.length);
    }
    short[] samples = new short[littleEndian.length / 2];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (short) ((littleEndian[2 * i] & 0xFF) | (littleEndian[2 * i + 1] << 8));
    }
    return samples;
  }

  /** Writes samples as 16-bit little-endian PCM bytes. */
  public static byte[] toPcm16le(short[] samples) {
    byte[] bytes = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      bytes[2 * i] = (byte) samples[i];
      bytes[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    return bytes;
  }
}
