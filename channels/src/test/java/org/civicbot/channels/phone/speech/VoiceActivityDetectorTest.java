package org.civicbot.channels.phone.speech;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VoiceActivityDetectorTest {
  private final SyntheticAudio audio = new SyntheticAudio(7);

  @Test
  void should_tell_voice_from_a_quiet_line() {
    VoiceActivityDetector vad = new VoiceActivityDetector();
    short[] quiet = audio.quiet(500);
    short[] voice = audio.voice(200);
    for (int i = 0; i + VoiceActivityDetector.FRAME <= quiet.length; i += VoiceActivityDetector.FRAME) {
      assertFalse(vad.isSpeech(quiet, i), "quiet frame at " + i);
    }
    assertTrue(vad.isSpeech(voice, 0));
  }

  @Test
  void should_take_a_steady_noise_as_the_new_floor_given_it_lasts() {
    VoiceActivityDetector vad = new VoiceActivityDetector();
    short[] hum = audio.voice(20_000);
    boolean last = true;
    for (int i = 0; i + VoiceActivityDetector.FRAME <= hum.length; i += VoiceActivityDetector.FRAME) {
      last = vad.isSpeech(hum, i);
    }
    assertFalse(last, "after 20 s of the same sound, floor " + vad.floorDb() + " dBFS");
  }

  @Test
  void should_end_an_utterance_after_the_trailing_silence_given_voice_then_quiet() {
    UtteranceCollector collector = new UtteranceCollector(700, 30);
    boolean spoke = false;
    short[] ended = null;
    int endedAtBatch = -1;
    int batch = 0;
    for (short[] b : SyntheticAudio.batches(SyntheticAudio.concat(audio.quiet(500), audio.voice(1000),
        audio.quiet(1500)))) {
      UtteranceCollector.Fed fed = collector.feed(b);
      spoke |= fed.speaking();
      if (fed.ended() != null) {
        assertNull(ended, "one utterance ends once");
        ended = fed.ended();
        endedAtBatch = batch;
      }
      batch++;
    }
    assertTrue(spoke);
    assertNotNull(ended);
    // 500 ms quiet + 1000 ms voice + 700 ms trailing silence: the end falls in batch 36 or 37 (60 ms batches)
    assertTrue(endedAtBatch >= 36 && endedAtBatch <= 38, "ended at batch " + endedAtBatch);
    // the voice, 300 ms from before it, and the trailing silence
    assertTrue(ended.length >= 16 * 1700 && ended.length <= 16 * 2100, "utterance of " + ended.length);
    assertFalse(collector.inUtterance());
  }

  @Test
  void should_ignore_a_click_shorter_than_the_onset() {
    UtteranceCollector collector = new UtteranceCollector(700, 30);
    boolean spoke = false;
    for (short[] b : SyntheticAudio.batches(SyntheticAudio.concat(audio.quiet(500), audio.voice(40),
        audio.quiet(1500)))) {
      UtteranceCollector.Fed fed = collector.feed(b);
      spoke |= fed.speaking();
      assertNull(fed.ended());
    }
    assertFalse(spoke);
  }

  @Test
  void should_cut_an_utterance_at_its_length_limit() {
    UtteranceCollector collector = new UtteranceCollector(700, 2);
    int ends = 0;
    for (short[] b : SyntheticAudio.batches(audio.voice(5000))) {
      UtteranceCollector.Fed fed = collector.feed(b);
      if (fed.ended() != null) {
        ends++;
        assertEquals(2 * 16_000, fed.ended().length);
      }
    }
    assertEquals(2, ends);
  }
}
