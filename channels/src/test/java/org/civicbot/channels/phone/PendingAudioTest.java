package org.civicbot.channels.phone;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The caller's audio waiting for a recognizer that falls behind is bounded: the oldest is dropped, in order. */
class PendingAudioTest {

  private static short[] samples(int from, int count) {
    short[] s = new short[count];
    for (int i = 0; i < count; i++) {
      s[i] = (short) (from + i);
    }
    return s;
  }

  @Test
  void should_keep_the_newest_samples_within_the_capacity() {
    CallAudio.ShortBuffer buffer = new CallAudio.ShortBuffer(10);

    assertEquals(0, buffer.append(samples(0, 6)));
    assertEquals(2, buffer.append(samples(6, 6)));
    assertEquals(10, buffer.size());
    assertArrayEquals(samples(2, 10), buffer.take());

    assertEquals(0, buffer.append(samples(100, 4)));
    assertEquals(9, buffer.append(samples(200, 15)), "4 kept ones and 5 of the new ones are dropped");
    assertArrayEquals(samples(205, 10), buffer.take());
    assertEquals(0, buffer.size());
  }

  @Test
  void should_grow_past_its_first_array_up_to_the_capacity() {
    CallAudio.ShortBuffer buffer = new CallAudio.ShortBuffer(160_000);
    for (int i = 0; i < 100; i++) {
      assertEquals(0, buffer.append(samples(i * 960, 960)));
    }
    assertEquals(96_000, buffer.size());
    short[] all = buffer.take();
    assertEquals((short) (99 * 960 + 959), all[all.length - 1]);
  }
}
