package org.civicbot.channels.phone;

import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import org.civicbot.channels.phone.audio.MuLaw;
import org.civicbot.channels.phone.audio.Resampler;
import org.civicbot.channels.phone.speech.SpeechSynthesizer;
import org.civicbot.knowledge.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * A call's speaking: a reply synthesized on a speech worker as a stream, resampled to 8 kHz, mu-law encoded, and sent
 * as 20 ms {@code media} frames paced to real time (with a small lead), then a {@code mark}; Twilio echoes the mark
 * when the audio has played. One reply plays at a time; a new one, or the caller speaking over an interruptible one
 * (barge-in: a {@code clear} drops what Twilio buffered), ends the one playing. Runs on the call's event-loop context.
 */
final class SpeechPlayback {
  private static final Logger LOG = LoggerFactory.getLogger(SpeechPlayback.class);
  private static final int FRAME_BYTES = 160;
  private static final int FRAME_MILLIS = 20;
  /** How far ahead of real time reply audio is sent, so the caller hears no gaps. */
  private static final int LEAD_MILLIS = 100;

  private final PhoneLine line;
  private final Context context;
  private final String callSid;
  /** Sends a message on the stream, with the stream's sid added. */
  private final Consumer<JsonObject> send;
  private Playing playing;
  private int replies;
  private boolean stopped;

  SpeechPlayback(PhoneLine line, Context context, String callSid, Consumer<JsonObject> send) {
    this.line = line;
    this.context = context;
    this.callSid = callSid;
    this.send = send;
  }

  /**
   * Speaks {@code text} in {@code lang}; {@code after} runs when Twilio reports it played. An interruptible reply is
   * dropped, {@code after} and all, when the caller speaks over it.
   */
  void speak(String text, Language lang, boolean interruptible, Runnable after) {
    interrupt();
    Playing p = new Playing("reply-" + (++replies), interruptible, after);
    playing = p;
    line.speechWorkers.executeBlocking(() -> {
      try (SpeechSynthesizer.Speech speech = line.synthesizer.speak(text, lang)) {
        Resampler down = new Resampler(speech.sampleRate(), CallAudio.RATE);
        short[] chunk;
        while (!p.cancelled && (chunk = speech.read()) != null) {
          byte[] ulaw = MuLaw.encode(down.process(chunk));
          context.runOnContext(v -> p.enqueue(ulaw));
        }
        byte[] tail = MuLaw.encode(down.flush());
        context.runOnContext(v -> {
          p.enqueue(tail);
          p.inputDone = true;
        });
      }
      return null;
    }, false).onFailure(e -> {
      LOG.warn("Call {}: speech synthesis failed", callSid, e);
      p.inputDone = true;
    });
    p.timer = line.vertx.setPeriodic(FRAME_MILLIS, id -> pump(p));
  }

  /** Whether a reply is playing. */
  boolean speaking() {
    return playing != null;
  }

  /** Twilio reports mark {@code name} played: if it ends the reply playing, that reply is done and its follow-up runs. */
  boolean marked(String name) {
    if (playing == null || !playing.mark.equals(name)) {
      return false;
    }
    Playing done = playing;
    playing = null;
    if (done.after != null && !stopped) {
      done.after.run();
    }
    return true;
  }

  /** The caller speaks: an interruptible reply stops, and Twilio drops what it buffered of it. */
  void bargeIn() {
    if (playing != null && playing.interruptible) {
      LOG.debug("Call {}: barge-in", callSid);
      interrupt();
      send.accept(new JsonObject().put("event", "clear"));
    }
  }

  /** Stops the reply playing, if any, without telling Twilio (a new reply follows, or the call ends). */
  void interrupt() {
    if (playing != null) {
      playing.cancelled = true;
      line.vertx.cancelTimer(playing.timer);
      playing = null;
    }
  }

  /** The call ended: nothing more is sent. */
  void stop() {
    stopped = true;
    interrupt();
  }

  private void pump(Playing p) {
    if (p != playing || stopped) {
      line.vertx.cancelTimer(p.timer);
      return;
    }
    long now = System.nanoTime();
    if (p.startNanos == 0 && p.bytes >= FRAME_BYTES) {
      p.startNanos = now;
    }
    if (p.startNanos != 0) {
      long due = ((now - p.startNanos) / 1_000_000 + LEAD_MILLIS) / FRAME_MILLIS + 1;
      while (p.framesSent < due && (p.bytes >= FRAME_BYTES || (p.inputDone && p.bytes > 0))) {
        send.accept(new JsonObject().put("event", "media")
            .put("media", new JsonObject().put("payload", Base64.getEncoder().encodeToString(p.nextFrame()))));
        p.framesSent++;
      }
    }
    if (p.inputDone && p.bytes == 0) {
      line.vertx.cancelTimer(p.timer);
      send.accept(new JsonObject().put("event", "mark").put("mark", new JsonObject().put("name", p.mark)));
    }
  }

  /** One reply being played: its frames, pacing and the mark that ends it. */
  private static final class Playing {
    final String mark;
    final boolean interruptible;
    final Runnable after;
    final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    int offset;
    int bytes;
    long timer;
    long startNanos;
    long framesSent;
    volatile boolean cancelled;
    boolean inputDone;

    Playing(String mark, boolean interruptible, Runnable after) {
      this.mark = mark;
      this.interruptible = interruptible;
      this.after = after;
    }

    void enqueue(byte[] ulaw) {
      if (ulaw.length > 0) {
        chunks.add(ulaw);
        bytes += ulaw.length;
      }
    }

    /** The next 160 bytes (20 ms), padded with mu-law silence at the very end. */
    byte[] nextFrame() {
      byte[] frame = new byte[FRAME_BYTES];
      Arrays.fill(frame, (byte) 0xFF);
      int filled = 0;
      while (filled < FRAME_BYTES && !chunks.isEmpty()) {
        byte[] head = chunks.peek();
        int n = Math.min(FRAME_BYTES - filled, head.length - offset);
        System.arraycopy(head, offset, frame, filled, n);
        filled += n;
        offset += n;
        if (offset == head.length) {
          chunks.poll();
          offset = 0;
        }
      }
      bytes -= filled;
      return frame;
    }
  }
}
