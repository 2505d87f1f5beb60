package org.civicbot.channels.phone.speech;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GgmlModelWriterTest {
  @TempDir
  Path dir;

  @Test
  void should_write_the_magic_and_hyperparameters_whisper_reads() throws IOException {
    Path file = new GgmlModelWriter(GgmlModelWriter.Dims.test(), 1).write(dir.resolve("m.bin"));
    ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int[] expected = {0x67676d6c, 51865, 1500, 64, 2, 2, 448, 64, 2, 2, 80, 1, 80, 201};
    int[] actual = new int[expected.length];
    for (int i = 0; i < actual.length; i++) {
      actual[i] = head.getInt();
    }
    assertArrayEquals(expected, actual);
  }

  @Test
  void should_write_the_same_file_given_the_same_seed() throws IOException {
    GgmlModelWriter.Dims dims = GgmlModelWriter.Dims.test().withWords(List.of("affald"));
    byte[] a = Files.readAllBytes(new GgmlModelWriter(dims, 5).write(dir.resolve("a.bin")));
    byte[] b = Files.readAllBytes(new GgmlModelWriter(dims, 5).write(dir.resolve("b.bin")));
    assertArrayEquals(a, b);
  }

  @Test
  void should_round_trip_small_values_through_half_precision() {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 10_000; i++) {
      float v = (float) ((random.nextDouble() * 2 - 1) * 0.2);
      float back = GgmlModelWriter.fromHalf(GgmlModelWriter.toHalf(v));
      assertTrue(Math.abs(back - v) <= Math.max(Math.abs(v) / 1024, 6.2e-5f),
          "seed " + seed + ": " + v + " came back as " + back);
    }
    assertEquals(1f, GgmlModelWriter.fromHalf(GgmlModelWriter.toHalf(1f)));
  }

  @Test
  void should_know_the_real_model_sizes_and_reject_others() {
    assertEquals(384, GgmlModelWriter.Dims.of("tiny").audioState());
    assertEquals(6, GgmlModelWriter.Dims.of("base").layers());
    assertEquals(12, GgmlModelWriter.Dims.of("small").heads());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GgmlModelWriter.Dims.of("huge"));
    assertEquals("model size must be tiny, base or small, but was 'huge'", e.getMessage());
  }
}
