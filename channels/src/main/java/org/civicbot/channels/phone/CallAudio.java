package org.civicbot.channels.phone;

import io.vertx.core.Context;
import org.civicbot.channels.phone.audio.MuLaw;
import org.civicbot.channels.phone.audio.Resampler;
import org.civicbot.channels.phone.speech.SpeechRecognizer;
import org.civicbot.knowledge.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * A call's listening: the caller's 8 kHz mu-law audio decoded, resampled and recognized, and what was heard reported
 * to a {@link Listener}: speech starting (for barge-in), a finished utterance, and silence. Every use of the native
 * recognizer (open, feed, finish, close) goes through the call's {@link SerialWork}, one at a time and in order, so a
 * recognizer is never used from two threads, fed after it was closed, or closed in the middle of a decode. Audio
 * waiting for a recognizer that falls behind is bounded ({@value #MAX_PENDING_SECONDS} s; the oldest is dropped).
 * Silence is measured in audio time (the frames received), so the line behaves the same however loaded the machine is.
 * Runs on the call's event-loop context.
 */
final class CallAudio {
  private static final Logger LOG = LoggerFactory.getLogger(CallAudio.class);
  static final int RATE = 8_000;
  /** Recognize in batches of at least this much audio. */
  private static final int RECOGNITION_BATCH_MILLIS = 60;
  static final int MAX_PENDING_SECONDS = 10;

  /** What the call does with what is heard. */
  interface Listener {
    /** The caller started speaking (the bot may be talking over them). */
    void speechStarted();

    /** The caller finished an utterance (its text may be empty: words heard but none made out). */
    void utterance(SpeechRecognizer.Hypothesis heard);

    /** The caller has been silent for the line's silence time while the bot waited. */
    void silence();

    /** Whether the bot is waiting for the caller now (not speaking, not thinking): only then does silence count. */
    boolean waiting();

    /** No recognizer could be opened: nothing the caller says can be heard. */
    void cannotListen();
  }

  private final PhoneLine line;
  private final String callSid;
  private final Listener listener;
  private final SerialWork work;
  private final ShortBuffer pending;

  private SpeechRecognizer.Recognition recognition;
  private Resampler upsampler;
  private boolean recognizing;
  private boolean closed;
  private long droppedSamples;
  private long audioMillis;
  private long lastSpeechMillis;
  private long utteranceStartMillis = -1;
  private long listeningSinceMillis;

  CallAudio(PhoneLine line, Context context, String callSid, Listener listener) {
    this.line = line;
    this.callSid = callSid;
    this.listener = listener;
    this.work = new SerialWork(line.recognitionPool, context);
    this.pending = new ShortBuffer(MAX_PENDING_SECONDS * line.recognizer.sampleRate());
  }

  /** Listens in {@code lang} from now on: the previous recognition (if any) is closed after its last decode. */
  void open(String tenant, Language lang) {
    SpeechRecognizer.Recognition previous = recognition;
    recognition = null;
    pending.clear();
    upsampler = new Resampler(RATE, line.recognizer.sampleRate());
    work.submit(() -> {
      if (previous != null) {
        previous.close();
      }
      return line.recognizer.open(tenant, lang);
    }).onSuccess(opened -> {
      if (closed) {
        work.execute(opened::close);
        return;
      }
      recognition = opened;
      listeningSinceMillis = audioMillis;
    }).onFailure(e -> {
      LOG.warn("Call {}: no recognizer for {}", callSid, lang.code(), e);
      if (!closed) {
        listener.cannotListen();
      }
    });
  }

  /** The caller's audio; {@code listening}: whether it is to be recognized (the call is live). */
  void accept(byte[] ulaw, boolean listening) {
    audioMillis += ulaw.length * 1000L / RATE;
    if (!listening || recognition == null || closed) {
      return;
    }
    int dropped = pending.append(upsampler.process(MuLaw.decode(ulaw)));
    if (dropped > 0) {
      if (droppedSamples == 0) {
        LOG.warn("Call {}: the recognizer is more than {} s behind; dropping the oldest audio", callSid,
            MAX_PENDING_SECONDS);
      }
      droppedSamples += dropped;
    }
    recognizeIfDue();
  }

  /** Whether the caller was just asked a yes/no question (see {@link SpeechRecognizer.Recognition}). */
  void expectShortAnswer(boolean expected) {
    SpeechRecognizer.Recognition current = recognition;
    if (current != null) {
      work.execute(() -> current.expectShortAnswer(expected));
    }
  }

  /** Silence counts from now (the bot just finished speaking, or prompted). */
  void listenFromNow() {
    listeningSinceMillis = audioMillis;
  }

  /** The audio dropped because the recognizer fell behind, in samples at its rate. */
  long droppedSamples() {
    return droppedSamples;
  }

  /** Stops listening: the recognizer is closed after any decode still running or queued, never in the middle of one. */
  void close() {
    closed = true;
    SpeechRecognizer.Recognition current = recognition;
    recognition = null;
    if (current != null) {
      work.execute(current::close);
    }
  }

  private void recognizeIfDue() {
    if (recognizing || recognition == null
        || pending.size() < line.recognizer.sampleRate() * RECOGNITION_BATCH_MILLIS / 1000) {
      return;
    }
    short[] samples = pending.take();
    long at = audioMillis;
    SpeechRecognizer.Recognition current = recognition;
    recognizing = true;
    work.submit(() -> current.accept(samples))
        .onComplete(r -> recognizing = false)
        .onSuccess(hypothesis -> {
          if (current == recognition) {
            onHypothesis(hypothesis, at);
          }
          recognizeIfDue();
        })
        .onFailure(e -> LOG.warn("Call {}: recognition failed", callSid, e));
  }

  private void onHypothesis(SpeechRecognizer.Hypothesis hypothesis, long at) {
    if (hypothesis.heardWords()) {
      lastSpeechMillis = at;
      if (utteranceStartMillis < 0) {
        utteranceStartMillis = at;
      }
      listener.speechStarted();
    }
    if (hypothesis.endpoint()) {
      // what a caller said is personal data: not even debug logs hold its words
      LOG.debug("Call {}: end of utterance at {} ms ({} characters)", callSid, at, hypothesis.text().length());
      utteranceStartMillis = -1;
      if (hypothesis.heardWords()) {
        listener.utterance(hypothesis);
      }
      return;
    }
    if (utteranceStartMillis >= 0 && at - utteranceStartMillis > line.settings.maxUtteranceSeconds() * 1000L) {
      finishUtterance();
      return;
    }
    if (utteranceStartMillis < 0 && listener.waiting()
        && at - Math.max(lastSpeechMillis, listeningSinceMillis) >= line.settings.silenceSeconds() * 1000L) {
      listeningSinceMillis = audioMillis;
      listener.silence();
    }
  }

  /** The caller has spoken for the longest an utterance may take: take it as ended. */
  private void finishUtterance() {
    SpeechRecognizer.Recognition current = recognition;
    utteranceStartMillis = -1;
    recognizing = true;
    work.submit(current::finish)
        .onComplete(r -> recognizing = false)
        .onSuccess(h -> {
          if (current == recognition) {
            listener.utterance(h);
          }
          recognizeIfDue();
        });
  }

  /**
   * A buffer of samples that grows up to {@code capacity}; beyond it the oldest samples are dropped, so a recognizer
   * that falls behind costs audio, never unbounded memory.
   */
  static final class ShortBuffer {
    private final int capacity;
    private short[] data = new short[4_096];
    private int size;

    ShortBuffer(int capacity) {
      this.capacity = capacity;
    }

    /** Appends {@code samples}; returns how many of the oldest samples were dropped to stay within the capacity. */
    int append(short[] samples) {
      int dropped = 0;
      if (samples.length >= capacity) {
        dropped = size + samples.length - capacity;
        samples = Arrays.copyOfRange(samples, samples.length - capacity, samples.length);
        size = 0;
      } else if (size + samples.length > capacity) {
        dropped = size + samples.length - capacity;
        System.arraycopy(data, dropped, data, 0, size - dropped);
        size -= dropped;
      }
      if (size + samples.length > data.length) {
        data = Arrays.copyOf(data, Math.min(capacity, Math.max(data.length * 2, size + samples.length)));
      }
      System.arraycopy(samples, 0, data, size, samples.length);
      size += samples.length;
      return dropped;
    }

    int size() {
      return size;
    }

    short[] take() {
      short[] out = Arrays.copyOf(data, size);
      size = 0;
      return out;
    }

    void clear() {
      size = 0;
    }
  }
}
