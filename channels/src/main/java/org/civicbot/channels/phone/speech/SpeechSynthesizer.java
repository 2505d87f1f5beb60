package org.civicbot.channels.phone.speech;

import org.civicbot.knowledge.Language;

import java.io.IOException;

/**
 * Text-to-speech for the phone line. The default runs locally ({@link EspeakSynthesizer}); an operator may plug in
 * another voice (a cloud service) behind this interface. Blocking: call from worker threads.
 */
public interface SpeechSynthesizer {

  /** Whether it can speak {@code lang}. */
  boolean speaks(Language lang);

  /** Starts speaking {@code text}; the audio is read from the stream as it is produced. */
  Speech speak(String text, Language lang) throws IOException;

  /** Audio as it is synthesized: 16-bit mono samples at {@link #sampleRate()}. */
  interface Speech extends AutoCloseable {

    int sampleRate();

    /** The next samples, waiting for them if needed; {@code null} at the end. */
    short[] read() throws IOException;

    /** Stops synthesis (the caller interrupted or hung up). */
    @Override
    void close();
  }
}
