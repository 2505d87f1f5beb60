package org.civicbot.channels.phone.speech;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Cuts a caller's audio into utterances with a {@link VoiceActivityDetector}: an utterance starts after a few frames
 * of speech (a click is not one), keeps a little audio from before its start (the first consonant is quiet), and
 * ends after a stretch of trailing silence or at its length limit. Not thread-safe: one recognition's audio.
 */
final class UtteranceCollector {
  /** Frames of speech in a row that start an utterance: 60 ms. */
  static final int ONSET_FRAMES = 3;
  /** Audio kept from before the start: 300 ms. */
  static final int PRE_ROLL_FRAMES = 15;

  /**
   * What a batch of audio brought.
   *
   * @param speaking whether speech was heard in it within an utterance
   * @param ended    the audio of an utterance that ended in it, or null
   */
  record Fed(boolean speaking, short[] ended) {
  }

  private final VoiceActivityDetector vad = new VoiceActivityDetector();
  private final int endFrames;
  private final int maxSamples;
  private final short[] frame = new short[VoiceActivityDetector.FRAME];
  private int framed;
  private final ArrayDeque<short[]> preRoll = new ArrayDeque<>();
  private int speechRun;
  private boolean inUtterance;
  private short[] utterance = new short[16_000];
  private int length;
  private int silentFrames;

  UtteranceCollector(int trailingSilenceMillis, int maxUtteranceSeconds) {
    this.endFrames = Math.max(1, trailingSilenceMillis / 20);
    this.maxSamples = maxUtteranceSeconds * 16_000;
  }

  /** Feeds 16 kHz samples; at most one utterance ends per call (a later end is reported by the next call). */
  Fed feed(short[] samples) {
    boolean speaking = false;
    short[] ended = null;
    for (int i = 0; i < samples.length; i++) {
      frame[framed++] = samples[i];
      if (framed < frame.length) {
        continue;
      }
      framed = 0;
      boolean speech = vad.isSpeech(frame, 0);
      if (!inUtterance) {
        preRoll.addLast(frame.clone());
        if (preRoll.size() > PRE_ROLL_FRAMES) {
          preRoll.removeFirst();
        }
        speechRun = speech ? speechRun + 1 : 0;
        if (speechRun >= ONSET_FRAMES) {
          inUtterance = true;
          silentFrames = 0;
          preRoll.forEach(this::append);
          preRoll.clear();
          speaking = true;
        }
        continue;
      }
      append(frame);
      speaking |= speech;
      silentFrames = speech ? 0 : silentFrames + 1;
      if (ended == null && (silentFrames >= endFrames || length >= maxSamples)) {
        ended = take();
      }
    }
    return new Fed(speaking, ended);
  }

  /** The audio of the utterance under way (none: empty), and listening for the next one. */
  short[] take() {
    short[] audio = Arrays.copyOf(utterance, length);
    length = 0;
    inUtterance = false;
    speechRun = 0;
    silentFrames = 0;
    return audio;
  }

  /** Whether an utterance is under way. */
  boolean inUtterance() {
    return inUtterance;
  }

  private void append(short[] f) {
    if (length + f.length > maxSamples) {
      return;
    }
    if (length + f.length > utterance.length) {
      utterance = Arrays.copyOf(utterance, Math.min(maxSamples, Math.max(utterance.length * 2, length + f.length)));
    }
    System.arraycopy(f, 0, utterance, length, f.length);
    length += f.length;
  }
}
