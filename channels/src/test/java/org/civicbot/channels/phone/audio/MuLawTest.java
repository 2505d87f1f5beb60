package org.civicbot.channels.phone.audio;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MuLawTest {

  @Test
  void should_round_trip_every_sample_within_half_a_quantization_step() {
    // A magnitude m falls in the segment where m + 0x84 lies in [2^(e+7), 2^(e+8)); its steps are 2^(e+3) wide and
    // decoding gives the middle of the step, so the error is at most 2^(e+2) <= (m + 0x84) / 32: 4 near zero, 512 at
    // the top, about 3 % of the magnitude in between.
    for (int x = -32_635; x <= 32_635; x++) {
      int error = MuLaw.decode(MuLaw.encode((short) x)) - x;
      assertTrue(32 * Math.abs(error) <= Math.abs(x) + 0x84, "sample " + x + " came back off by " + error);
    }
  }

  @Test
  void should_clip_beyond_32635() {
    assertEquals(32_124, MuLaw.decode(MuLaw.encode(Short.MAX_VALUE)));
    assertEquals(-32_124, MuLaw.decode(MuLaw.encode(Short.MIN_VALUE)));
  }

  @Test
  void should_decode_known_code_points() {
    assertEquals(0, MuLaw.decode((byte) 0xFF));
    assertEquals(0, MuLaw.decode((byte) 0x7F));
    assertEquals(-32_124, MuLaw.decode((byte) 0x00));
    assertEquals(32_124, MuLaw.decode((byte) 0x80));
    assertEquals(16_764, MuLaw.decode((byte) 0x8F));
    assertEquals(132, MuLaw.decode((byte) 0xEF));
    assertEquals(-15_996, MuLaw.decode((byte) 0x10));
  }

  @Test
  void should_encode_zero_as_0xFF() {
    assertEquals((byte) 0xFF, MuLaw.encode((short) 0));
  }

  @Test
  void should_encode_every_decoded_code_point_back_to_itself() {
    for (int b = 0; b < 256; b++) {
      if (b == 0x7F) {
        continue; // "negative zero" decodes to 0, which encodes as 0xFF
      }
      assertEquals((byte) b, MuLaw.encode(MuLaw.decode((byte) b)), "code point " + Integer.toHexString(b));
    }
  }

  @Test
  void should_keep_silence_silent() {
    byte[] ulaw = MuLaw.encode(new short[160]);

    for (byte b : ulaw) {
      assertEquals((byte) 0xFF, b);
    }
    assertArrayEquals(new short[160], MuLaw.decode(ulaw));
  }

  @Test
  void should_convert_arrays_sample_by_sample() {
    short[] pcm = {0, 1, -1, 1000, -1000, Short.MAX_VALUE, Short.MIN_VALUE};

    byte[] ulaw = MuLaw.encode(pcm);
    short[] back = MuLaw.decode(ulaw);

    for (int i = 0; i < pcm.length; i++) {
      assertEquals(MuLaw.encode(pcm[i]), ulaw[i]);
      assertEquals(MuLaw.decode(ulaw[i]), back[i]);
    }
  }

  @Test
  void should_write_pcm16_little_endian() {
    byte[] bytes = MuLaw.toPcm16le(new short[] {0x1234, -2, Short.MIN_VALUE});

    assertArrayEquals(new byte[] {0x34, 0x12, (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0x80}, bytes);
  }

  @Test
  void should_round_trip_pcm16_little_endian() {
    long seed = 20_240_611L;
    Random random = new Random(seed);
    short[] samples = new short[1_000];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (short) random.nextInt();
    }

    assertArrayEquals(samples, MuLaw.pcm16le(MuLaw.toPcm16le(samples)), "seed " + seed);
  }

  @Test
  void should_reject_an_odd_number_of_pcm16_bytes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MuLaw.pcm16le(new byte[3]));

    assertTrue(e.getMessage().contains("3"), e.getMessage());
  }
}
