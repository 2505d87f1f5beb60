package org.civicbot.channels.phone.audio;

/**
 * G.711 mu-law, the 8-bit audio of telephone networks and of Twilio Media Streams (8 kHz mono): 16-bit linear
 * samples compressed logarithmically into bytes, and back.
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

  public static short decode(byte ulaw) {
    return DECODE[ulaw & 0xFF];
  }

  public static short[] decode(byte[] ulaw) {
    short[] pcm = new short[ulaw.length];
    for (int i = 0; i < ulaw.length; i++) {
      pcm[i] = DECODE[ulaw[i] & 0xFF];
    }
    return pcm;
  }

  public static byte encode(short sample) {
    int pcm = sample;
    int sign = pcm < 0 ? 0x80 : 0;
    int magnitude = Math.min(CLIP, Math.abs(pcm)) + BIAS;
    int exponent = 7;
    for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  public static byte[] encode(short[] pcm) {
    byte[] ulaw = new byte[pcm.length];
    for (int i = 0; i < pcm.length; i++) {
      ulaw[i] = encode(pcm[i]);
    }
    return ulaw;
  }
}
