package org.civicbot.channels.phone.speech;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks that a file is a complete whisper ggml model before native code reads it: whisper.cpp trusts the file (a
 * garbage vocabulary length is an allocation of that size, a file cut before its tensors loads as an "empty model"
 * of uninitialized weights), so a wrong path must be caught here, with a message an operator can act on.
 */
final class GgmlModelFile {
  private static final int MAX_TOKEN_BYTES = 1024;

  private GgmlModelFile() {
  }

  /** Why {@code file} is not a whole whisper ggml model; empty if it looks like one. */
  static Optional<String> problem(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.of(Files.exists(file) ? "not a regular file" : "no such file");
    }
    try (InputStream raw = Files.newInputStream(file);
         DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      long size = Files.size(file);
      int magic = i32(in);
      if (magic != GgmlModelWriter.GGML_MAGIC) {
        return Optional.of(String.format(Locale.ROOT, "starts with 0x%08x, not the ggml magic 0x%08x", magic,
            GgmlModelWriter.GGML_MAGIC));
      }
      int[] h = new int[11];
      for (int i = 0; i < h.length; i++) {
        h[i] = i32(in);
      }
      int audioLayers = h[4];
      int textLayers = h[8];
      if (h[0] < 1 || h[0] > 1_000_000 || audioLayers < 1 || audioLayers > 128 || textLayers < 1 || textLayers > 128) {
        return Optional.of("implausible dimensions: vocabulary " + h[0] + ", layers " + audioLayers + "/"
            + textLayers);
      }
      long filterFloats = (long) i32(in) * i32(in);
      if (filterFloats < 0 || filterFloats > 1_000_000) {
        return Optional.of("implausible mel filter size " + filterFloats);
      }
      skip(in, filterFloats * 4);
      int tokens = i32(in);
      if (tokens < 0 || tokens > 1_000_000) {
        return Optional.of("implausible vocabulary size " + tokens);
      }
      for (int i = 0; i < tokens; i++) {
        int length = i32(in);
        if (length < 0 || length > MAX_TOKEN_BYTES) {
          return Optional.of("token " + i + " of the vocabulary has length " + length);
        }
        skip(in, length);
      }
      int expected = 7 + 15 * audioLayers + 4 + 24 * textLayers;
      int found = 0;
      // a file stream's available() is what is left of the file
      while (in.available() > 0) {
        int dims = i32(in);
        int nameLength = i32(in);
        int type = i32(in);
        if (dims < 1 || dims > 4 || nameLength < 1 || nameLength > 256) {
          return Optional.of("tensor " + found + " has a corrupt header");
        }
        long elements = 1;
        for (int d = 0; d < dims; d++) {
          int ne = i32(in);
          if (ne < 1) {
            return Optional.of("tensor " + found + " has dimension " + ne);
          }
          elements *= ne;
        }
        skip(in, nameLength);
        long bytes = bytes(type, elements);
        if (bytes < 0) {
          return Optional.of("tensor " + found + " has unknown type " + type);
        }
        skip(in, bytes);
        found++;
      }
      if (found != expected) {
        return Optional.of("it holds " + found + " tensors, a model of " + audioLayers + "+" + textLayers
            + " layers has " + expected + " (" + size + " bytes: truncated?)");
      }
      return Optional.empty();
    } catch (EOFException e) {
      return Optional.of("truncated: it ends before its last tensor");
    } catch (IOException e) {
      return Optional.of("cannot be read: " + e.getMessage());
    }
  }

  /** Bytes of {@code elements} values of a ggml type (f32, f16 and the quantized ones whisper uses); -1: unknown. */
  private static long bytes(int type, long elements) {
    int[] blockBytes = switch (type) {
      case 0 -> new int[] {4, 1};
      case 1 -> new int[] {2, 1};
      case 2 -> new int[] {18, 32};
      case 3 -> new int[] {20, 32};
      case 6 -> new int[] {22, 32};
      case 7 -> new int[] {24, 32};
      case 8 -> new int[] {34, 32};
      case 10 -> new int[] {84, 256};
      case 11 -> new int[] {110, 256};
      case 12 -> new int[] {144, 256};
      case 13 -> new int[] {176, 256};
      case 14 -> new int[] {210, 256};
      default -> null;
    };
    return blockBytes == null ? -1 : elements / blockBytes[1] * blockBytes[0];
  }

  private static int i32(DataInputStream in) throws IOException {
    return Integer.reverseBytes(in.readInt());
  }

  private static void skip(DataInputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() == -1) {
          throw new EOFException();
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }
}
