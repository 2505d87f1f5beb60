package org.civicbot.channels.phone.speech;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes a whisper.cpp ggml model file with seeded random weights: what the tests and the Whisper benchmark load,
 * since no real model weights can be downloaded where they run. The layout is the one whisper.cpp v1.7.1's
 * {@code whisper_model_load} reads (magic, hyperparameters, mel filters, vocabulary, then every tensor by name with
 * its shape), so loading and transcribing cost what they cost with a real model of the same dimensions; what such a
 * model "hears" is noise.
 *
 * <p>The vocabulary has the multilingual size (51865, so the special tokens sit where whisper expects them): the
 * printable ASCII bytes, the Danish letters, the words given to {@link Dims#withWords}, then filler words
 * {@code " w<id>"}. All tokens are ASCII or whole UTF-8 characters, so any text whisper returns is valid UTF-8.
 */
public final class GgmlModelWriter {
  /** {@code "ggml"} read as a little-endian 32-bit integer. */
  public static final int GGML_MAGIC = 0x67676d6c;
  /** The multilingual vocabulary size (the token ids of the special tokens depend on it). */
  public static final int MULTILINGUAL_VOCAB = 51865;
  /** Text tokens in the file; whisper adds the special ones (end of text, languages, timestamps) itself. */
  static final int TEXT_TOKENS = 50257;
  /** The end-of-text token of a multilingual model. */
  static final int TOKEN_EOT = 50257;
  private static final int N_FFT = 201;
  private static final int FTYPE_F16 = 1;
  private static final int TYPE_F32 = 0;
  private static final int TYPE_F16 = 1;

  /**
   * A model's dimensions.
   *
   * @param audioState  width of the encoder (and decoder), split over {@code heads}
   * @param heads       attention heads of encoder and decoder
   * @param layers      layers of encoder and decoder
   * @param audioCtx    encoder positions (1500 = 30 s)
   * @param textCtx     decoder positions
   * @param eotFrom     decoder positions from which the weights make end-of-text the likeliest token (-1: never):
   *                    bounds how much text a random model produces, as a real model's utterance length does
   * @param words       words to give tokens of their own (with and without a leading space)
   */
  public record Dims(String name, int audioState, int heads, int layers, int audioCtx, int textCtx, int eotFrom,
                     List<String> words) {
    public Dims {
      if (audioState <= 0 || heads <= 0 || audioState % heads != 0) {
        throw new IllegalArgumentException("the state width must be a positive multiple of the heads, but was "
            + audioState + " with " + heads + " heads");
      }
      if (layers <= 0 || audioCtx <= 0 || textCtx <= 0) {
        throw new IllegalArgumentException("layers and contexts must be positive, but were " + layers + ", "
            + audioCtx + ", " + textCtx);
      }
      words = List.copyOf(words);
    }

    /** Tiny dimensions for tests: loads and transcribes in well under a second. */
    public static Dims test() {
      return new Dims("test", 64, 2, 2, 1500, 448, -1, List.of());
    }

    /** The real dimensions of a whisper model size: {@code tiny}, {@code base} or {@code small}. */
    public static Dims of(String size) {
      return switch (size) {
        case "tiny" -> new Dims("tiny", 384, 6, 4, 1500, 448, -1, List.of());
        case "base" -> new Dims("base", 512, 8, 6, 1500, 448, -1, List.of());
        case "small" -> new Dims("small", 768, 12, 12, 1500, 448, -1, List.of());
        default -> throw new IllegalArgumentException("model size must be tiny, base or small, but was '" + size
            + "'");
      };
    }

    public Dims withEotFrom(int position) {
      return new Dims(name, audioState, heads, layers, audioCtx, textCtx, position, words);
    }

    public Dims withWords(List<String> extra) {
      return new Dims(name, audioState, heads, layers, audioCtx, textCtx, eotFrom, extra);
    }
  }

  private final Dims dims;
  private final long seed;
  /** Random f16 values, reused round-robin from a per-tensor offset: random enough, and fast for 240 M weights. */
  private final short[] halves = new short[1 << 16];
  private final float[] floats = new float[1 << 16];
  private final short[] eotRow;

  public GgmlModelWriter(Dims dims, long seed) {
    this.dims = dims;
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed);
    double scale = 1 / Math.sqrt(dims.audioState());
    for (int i = 0; i < halves.length; i++) {
      float v = (float) ((random.nextDouble() * 2 - 1) * scale);
      floats[i] = v;
      halves[i] = toHalf(v);
    }
    eotRow = new short[dims.audioState()];
    for (int i = 0; i < eotRow.length; i++) {
      eotRow[i] = toHalf((i % 2 == 0 ? 1f : -1f) * (float) scale);
    }
  }

  /** Writes the model to {@code file} (replaced if it exists). */
  public Path write(Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      Le le = new Le(out);
      le.i32(GGML_MAGIC);
      int state = dims.audioState();
      for (int v : new int[] {MULTILINGUAL_VOCAB, dims.audioCtx(), state, dims.heads(), dims.layers(), dims.textCtx(),
          state, dims.heads(), dims.layers(), 80, FTYPE_F16}) {
        le.i32(v);
      }
      writeMelFilters(le);
      List<byte[]> vocab = vocabulary();
      le.i32(vocab.size());
      for (byte[] token : vocab) {
        le.i32(token.length);
        le.bytes(token);
      }
      writeEncoder(le, state);
      writeDecoder(le, state);
    }
    return file;
  }

  private void writeEncoder(Le le, int state) throws IOException {
    tensor(le, "encoder.positional_embedding", TYPE_F32, Fill.RANDOM, state, dims.audioCtx());
    tensor(le, "encoder.conv1.weight", TYPE_F16, Fill.RANDOM, 3, 80, state);
    tensor(le, "encoder.conv1.bias", TYPE_F32, Fill.ZERO, 1, state);
    tensor(le, "encoder.conv2.weight", TYPE_F16, Fill.RANDOM, 3, state, state);
    tensor(le, "encoder.conv2.bias", TYPE_F32, Fill.ZERO, 1, state);
    tensor(le, "encoder.ln_post.weight", TYPE_F32, Fill.ONE, state);
    tensor(le, "encoder.ln_post.bias", TYPE_F32, Fill.ZERO, state);
    for (int i = 0; i < dims.layers(); i++) {
      String p = "encoder.blocks." + i + ".";
      block(le, p, state, "attn");
    }
  }

  private void writeDecoder(Le le, int state) throws IOException {
    writeDecoderPositions(le, state);
    writeTokenEmbedding(le, state);
    tensor(le, "decoder.ln.weight", TYPE_F32, Fill.ONE, state);
    tensor(le, "decoder.ln.bias", TYPE_F32, Fill.ZERO, state);
    for (int i = 0; i < dims.layers(); i++) {
      String p = "decoder.blocks." + i + ".";
      block(le, p, state, "attn");
      attention(le, p, state, "cross_attn");
    }
  }

  /** One transformer block: self-attention and MLP, with their layer norms. */
  private void block(Le le, String p, int state, String attn) throws IOException {
    tensor(le, p + "mlp_ln.weight", TYPE_F32, Fill.ONE, state);
    tensor(le, p + "mlp_ln.bias", TYPE_F32, Fill.ZERO, state);
    tensor(le, p + "mlp.0.weight", TYPE_F16, Fill.RANDOM, state, 4 * state);
    tensor(le, p + "mlp.0.bias", TYPE_F32, Fill.ZERO, 4 * state);
    tensor(le, p + "mlp.2.weight", TYPE_F16, Fill.RANDOM, 4 * state, state);
    tensor(le, p + "mlp.2.bias", TYPE_F32, Fill.ZERO, state);
    attention(le, p, state, attn);
  }

  private void attention(Le le, String p, int state, String attn) throws IOException {
    tensor(le, p + attn + "_ln.weight", TYPE_F32, Fill.ONE, state);
    tensor(le, p + attn + "_ln.bias", TYPE_F32, Fill.ZERO, state);
    tensor(le, p + attn + ".query.weight", TYPE_F16, Fill.RANDOM, state, state);
    tensor(le, p + attn + ".query.bias", TYPE_F32, Fill.ZERO, state);
    tensor(le, p + attn + ".key.weight", TYPE_F16, Fill.RANDOM, state, state);
    tensor(le, p + attn + ".value.weight", TYPE_F16, Fill.RANDOM, state, state);
    tensor(le, p + attn + ".value.bias", TYPE_F32, Fill.ZERO, state);
    tensor(le, p + attn + ".out.weight", TYPE_F16, Fill.RANDOM, state, state);
    tensor(le, p + attn + ".out.bias", TYPE_F32, Fill.ZERO, state);
  }

  /** Random positions, except from {@link Dims#eotFrom()} on: the end-of-text row, scaled up, dominates there. */
  private void writeDecoderPositions(Le le, int state) throws IOException {
    header(le, "decoder.positional_embedding", TYPE_F32, state, dims.textCtx());
    int offset = offset("decoder.positional_embedding");
    for (int pos = 0; pos < dims.textCtx(); pos++) {
      for (int i = 0; i < state; i++) {
        if (dims.eotFrom() >= 0 && pos >= dims.eotFrom()) {
          le.f32(50 * fromHalf(eotRow[i]));
        } else {
          le.f32(floats[(offset + pos * state + i) & (floats.length - 1)]);
        }
      }
    }
  }

  private void writeTokenEmbedding(Le le, int state) throws IOException {
    header(le, "decoder.token_embedding.weight", TYPE_F16, state, MULTILINGUAL_VOCAB);
    int offset = offset("decoder.token_embedding.weight");
    short[] row = new short[state];
    for (int token = 0; token < MULTILINGUAL_VOCAB; token++) {
      if (token == TOKEN_EOT) {
        le.halves(eotRow, state);
        continue;
      }
      for (int i = 0; i < state; i++) {
        row[i] = halves[(offset + token * 7919 + i) & (halves.length - 1)];
      }
      le.halves(row, state);
    }
  }

  private enum Fill { ZERO, ONE, RANDOM }

  /** A tensor: its header (dimensions innermost first, as ggml has them) and its data. */
  private void tensor(Le le, String name, int type, Fill fill, int... ne) throws IOException {
    header(le, name, type, ne);
    long n = 1;
    for (int d : ne) {
      n *= d;
    }
    int offset = offset(name);
    if (type == TYPE_F16) {
      short one = toHalf(1);
      for (long i = 0; i < n; ) {
        int chunk = (int) Math.min(n - i, halves.length);
        if (fill == Fill.RANDOM) {
          le.halvesFrom(halves, offset, chunk);
        } else {
          le.repeatHalf(fill == Fill.ONE ? one : 0, chunk);
        }
        i += chunk;
        offset += 4099;
      }
    } else {
      for (long i = 0; i < n; i++) {
        le.f32(switch (fill) {
          case ZERO -> 0f;
          case ONE -> 1f;
          case RANDOM -> floats[(int) ((offset + i) & (floats.length - 1))];
        });
      }
    }
  }

  private static void header(Le le, String name, int type, int... ne) throws IOException {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    le.i32(ne.length);
    le.i32(bytes.length);
    le.i32(type);
    for (int d : ne) {
      le.i32(d);
    }
    le.bytes(bytes);
  }

  private int offset(String name) {
    return (int) ((name.hashCode() * 31L + seed) & 0xffff);
  }

  /** Triangular filters over the 201 FFT bins, spaced on the mel scale as whisper's (librosa's) are. */
  private static void writeMelFilters(Le le) throws IOException {
    int nMel = 80;
    le.i32(nMel);
    le.i32(N_FFT);
    double maxMel = mel(8000);
    double[] edges = new double[nMel + 2];
    for (int m = 0; m < edges.length; m++) {
      edges[m] = hz(maxMel * m / (nMel + 1));
    }
    for (int m = 0; m < nMel; m++) {
      for (int bin = 0; bin < N_FFT; bin++) {
        double f = bin * 8000.0 / (N_FFT - 1);
        double up = (f - edges[m]) / (edges[m + 1] - edges[m]);
        double down = (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]);
        le.f32((float) Math.max(0, Math.min(up, down)) * (float) (2.0 / (edges[m + 2] - edges[m])));
      }
    }
  }

  private static double mel(double hz) {
    return 2595 * Math.log10(1 + hz / 700);
  }

  private static double hz(double mel) {
    return 700 * (Math.pow(10, mel / 2595) - 1);
  }

  private List<byte[]> vocabulary() {
    Set<String> tokens = new LinkedHashSet<>();
    for (char c = 0x21; c < 0x7f; c++) {
      tokens.add(String.valueOf(c));
    }
    tokens.add(" ");
    for (String letter : List.of("æ", "ø", "å", "Æ", "Ø", "Å", "é", " æ", " ø", " å")) {
      tokens.add(letter);
    }
    for (String word : dims.words()) {
      String w = word.strip();
      if (!w.isEmpty()) {
        tokens.add(w);
        tokens.add(" " + w);
      }
    }
    List<byte[]> vocab = new ArrayList<>(TEXT_TOKENS);
    for (String token : tokens) {
      if (vocab.size() < TEXT_TOKENS) {
        vocab.add(token.getBytes(StandardCharsets.UTF_8));
      }
    }
    for (int id = vocab.size(); vocab.size() < TEXT_TOKENS; id++) {
      vocab.add(String.format(Locale.ROOT, " w%d", id).getBytes(StandardCharsets.US_ASCII));
    }
    return vocab;
  }

  /** IEEE 754 half precision, rounded to nearest; the values written are small and normal. */
  static short toHalf(float value) {
    int bits = Float.floatToIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exp = ((bits >>> 23) & 0xff) - 127 + 15;
    int mantissa = bits & 0x7fffff;
    if (exp <= 0) {
      return (short) sign;
    }
    if (exp >= 31) {
      return (short) (sign | 0x7bff);
    }
    int half = sign | (exp << 10) | (mantissa >>> 13);
    if ((mantissa & 0x1000) != 0 && (half & 0x7fff) < 0x7bff) {
      half++;
    }
    return (short) half;
  }

  static float fromHalf(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exp == 0) {
      return Float.intBitsToFloat(sign);
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mantissa << 13));
  }

  /** Little-endian output, buffered in one reused byte buffer. */
  private static final class Le {
    private final OutputStream out;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 17).order(ByteOrder.LITTLE_ENDIAN);

    Le(OutputStream out) {
      this.out = out;
    }

    void i32(int v) throws IOException {
      out.write(v);
      out.write(v >>> 8);
      out.write(v >>> 16);
      out.write(v >>> 24);
    }

    void f32(float v) throws IOException {
      i32(Float.floatToIntBits(v));
    }

    void bytes(byte[] b) throws IOException {
      out.write(b);
    }

    void halves(short[] values, int n) throws IOException {
      buffer.clear();
      for (int i = 0; i < n; i++) {
        buffer.putShort(values[i]);
      }
      out.write(buffer.array(), 0, buffer.position());
    }

    void halvesFrom(short[] table, int offset, int n) throws IOException {
      buffer.clear();
      for (int i = 0; i < n; i++) {
        buffer.putShort(table[(offset + i) & (table.length - 1)]);
      }
      out.write(buffer.array(), 0, buffer.position());
    }

    void repeatHalf(short value, int n) throws IOException {
      buffer.clear();
      for (int i = 0; i < n; i++) {
        buffer.putShort(value);
      }
      out.write(buffer.array(), 0, buffer.position());
    }
  }
}
