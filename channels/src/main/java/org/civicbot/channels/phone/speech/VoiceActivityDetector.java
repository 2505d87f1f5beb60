package org.civicbot.channels.phone.speech;

/**
 * Tells speech from silence in 20 ms frames, for a recognizer (whisper) that cannot find an utterance's end itself.
 *
 * <p>Energy against an adaptive noise floor, with the zero-crossing rate as a tie-breaker: a phone line's noise
 * level differs from call to call (a car, a kitchen, a quiet office), so a frame is speech when it is clearly louder
 * than the floor this call has had; the floor follows quiet frames quickly and loud ones only very slowly, so a
 * noise that starts and stays (a fan) becomes the floor within seconds. Frames just above the threshold count only
 * if they cross zero seldom, as voiced speech does; broadband hiss crosses zero in about every other sample. A
 * neural detector (Silero, WebRTC's GMM) would be more robust, but needs another native library; this one costs
 * nothing next to whisper and is fully predictable in tests.
 */
final class VoiceActivityDetector {
  /** Samples per frame at 16 kHz: 20 ms. */
  static final int FRAME = 320;
  /** How much louder than the noise floor a frame must be to be speech. */
  static final double MARGIN_DB = 9;
  /** Quieter frames are never speech, whatever the floor (a line of digital silence). */
  static final double MIN_SPEECH_DBFS = -55;
  /** Frames within twice the margin of the floor count as speech only below this zero-crossing rate. */
  static final double VOICED_ZCR = 0.3;
  private static final double FLOOR_START_DBFS = -60;

  private double floorDb = FLOOR_START_DBFS;

  /** Whether the {@link #FRAME} samples from {@code from} are speech; adapts the noise floor. */
  boolean isSpeech(short[] samples, int from) {
    double energy = 0;
    int crossings = 0;
    for (int i = from; i < from + FRAME; i++) {
      double s = samples[i];
      energy += s * s;
      if (i > from && (samples[i - 1] >= 0) != (s >= 0)) {
        crossings++;
      }
    }
    double db = 10 * Math.log10(energy / FRAME / (32768.0 * 32768.0) + 1e-12);
    double zcr = crossings / (double) (FRAME - 1);
    boolean speech = db >= MIN_SPEECH_DBFS && db >= floorDb + MARGIN_DB
        && (db >= floorDb + 2 * MARGIN_DB || zcr < VOICED_ZCR);
    double rate = speech ? 0.001 : db < floorDb ? 0.3 : 0.05;
    floorDb = Math.max(-90, Math.min(-10, floorDb + (db - floorDb) * rate));
    return speech;
  }

  /** The current noise floor in dBFS. */
  double floorDb() {
    return floorDb;
  }
}
