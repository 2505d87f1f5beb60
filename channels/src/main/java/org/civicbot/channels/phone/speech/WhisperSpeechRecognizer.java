package org.civicbot.channels.phone.speech;

import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperContextParams;
import io.github.givimad.whisperjni.WhisperFullParams;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperSamplingStrategy;
import io.github.givimad.whisperjni.WhisperState;
import org.civicbot.knowledge.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * whisper.cpp recognition (through whisper-jni) with the ggml models an operator provides, one per language: far
 * better than Vosk's small models on free speech in languages such as Danish, but not streaming.
 *
 * <p>So each recognition finds utterances itself ({@link UtteranceCollector}): it reports the caller speaking while
 * voice is active, and after trailing silence transcribes the whole utterance at once, in the call's language, with
 * greedy decoding, no timestamps, one segment, and the tenant's knowledge base terms as the prompt (whisper then
 * spells municipal words as the articles do). The encoder is given only as much audio context as the utterance needs
 * (at least {@link Settings#audioCtx()} frames) instead of 30 s, which is most of the latency saved.
 *
 * <p>One whisper context per model is shared by all calls; each transcription uses one of the model's whisper states,
 * all made at startup (whisper-jni keeps them in a map it does not lock, so none is made or freed while calls run),
 * and the {@link TranscriptionPool} lets at most {@link Settings#pool()} transcriptions run at once.
 */
public final class WhisperSpeechRecognizer implements SpeechRecognizer {
  private static final Logger LOG = LoggerFactory.getLogger(WhisperSpeechRecognizer.class);
  public static final int SAMPLE_RATE = 16_000;
  /** whisper.cpp refuses less than a second of audio; shorter utterances are padded with silence. */
  static final int MIN_SAMPLES = SAMPLE_RATE * 11 / 10;
  /** Samples per encoder position (two 10 ms mel frames). */
  static final int SAMPLES_PER_CTX = 320;
  /** The prompt is cut to about 200 whisper tokens (whisper keeps at most 224, from the end). */
  static final int MAX_PROMPT_CHARS = 600;
  /** Phrases longer than this many words (question phrasings) are left out of the prompt: terms fit more. */
  static final int MAX_PROMPT_PHRASE_WORDS = 4;
  private static final Pattern NON_SPEECH = Pattern.compile("\\[[^\\]]*\\]|\\([^)]*\\)|\\*[^*]*\\*|♪+");
  /** What whisper says over silence or noise: subtitle credits from its training data. */
  private static final List<String> CREDITS = List.of("undertekster", "tekstet af", "subtitles by", "amara.org");

  private static boolean libraryLoaded;

  /**
   * A model file and the setting it came from (named in error messages).
   */
  public record ModelFile(Path path, String setting) {
  }

  /**
   * How the recognizer runs.
   *
   * @param models                the model file per language
   * @param threads               threads of one transcription
   * @param pool                  transcriptions at once across all calls (each language's model gets this many
   *                              states)
   * @param audioCtx              encoder positions (20 ms each) at least given to an utterance, more if it is longer;
   *                              0: always the full 1500 (30 s)
   * @param endSilenceMillis      trailing silence that ends an utterance
   * @param maxUtteranceSeconds   audio kept of one utterance; it is transcribed when full
   */
  public record Settings(Map<Language, ModelFile> models, int threads, int pool, int audioCtx, int endSilenceMillis,
                         int maxUtteranceSeconds) {
    public static final int DEFAULT_AUDIO_CTX = 512;
    public static final int DEFAULT_END_SILENCE_MILLIS = 700;
    public static final int MAX_UTTERANCE_SECONDS = 30;

    public Settings {
      models = Map.copyOf(models);
      requireRange("threads", threads, 1, 64);
      requireRange("pool", pool, 1, 64);
      requireRange("audioCtx", audioCtx, 0, 1500);
      requireRange("endSilenceMillis", endSilenceMillis, 100, 5000);
      requireRange("maxUtteranceSeconds", maxUtteranceSeconds, 1, MAX_UTTERANCE_SECONDS);
    }

    private static void requireRange(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", but was " + value);
      }
    }

    public static Builder builder() {
      return new Builder();
    }

    /** Settings with defaults: all cores for one transcription at a time, a 10 s minimum audio context. */
    public static final class Builder {
      private final Map<Language, ModelFile> models = new EnumMap<>(Language.class);
      private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
      private int pool = 1;
      private int audioCtx = DEFAULT_AUDIO_CTX;
      private int endSilenceMillis = DEFAULT_END_SILENCE_MILLIS;
      private int maxUtteranceSeconds = MAX_UTTERANCE_SECONDS;

      public Builder model(Language lang, Path file, String setting) {
        models.put(lang, new ModelFile(file, setting));
        return this;
      }

      public Builder threads(int threads) {
        this.threads = threads;
        return this;
      }

      public Builder pool(int pool) {
        this.pool = pool;
        return this;
      }

      public Builder audioCtx(int audioCtx) {
        this.audioCtx = audioCtx;
        return this;
      }

      public Builder endSilenceMillis(int millis) {
        this.endSilenceMillis = millis;
        return this;
      }

      public Builder maxUtteranceSeconds(int seconds) {
        this.maxUtteranceSeconds = seconds;
        return this;
      }

      public Settings build() {
        return new Settings(models, threads, pool, audioCtx, endSilenceMillis, maxUtteranceSeconds);
      }
    }
  }

  /**
   * The transcriptions so far.
   *
   * @param transcriptions done
   * @param maxConcurrent  the most that ran at once
   * @param meanWaitMillis mean wait for a place in the pool
   * @param maxWaitMillis  longest wait for a place
   * @param meanWorkMillis mean transcription time once started
   */
  public record Stats(long transcriptions, int maxConcurrent, double meanWaitMillis, double maxWaitMillis,
                      double meanWorkMillis) {
  }

  private record Model(WhisperContext context, BlockingQueue<WhisperState> states) {
  }

  private record Prompt(List<String> source, String text) {
  }

  private final WhisperJNI whisper;
  private final Settings settings;
  private final Map<Language, Model> models;
  private final BiFunction<String, Language, List<String>> phrases;
  private final TranscriptionPool pool;
  private final Map<String, Prompt> prompts = new ConcurrentHashMap<>();

  private WhisperSpeechRecognizer(WhisperJNI whisper, Settings settings, Map<Language, Model> models,
                                  BiFunction<String, Language, List<String>> phrases) {
    this.whisper = whisper;
    this.settings = settings;
    this.models = models;
    this.phrases = phrases;
    this.pool = new TranscriptionPool(settings.pool());
  }

  /**
   * Loads every model (blocking: up to seconds each) and makes its states. A model file that is missing, is not a
   * ggml file or that whisper.cpp cannot load is an {@link IllegalArgumentException} naming its setting; nothing
   * loaded is kept then. {@code phrases}: the tenant's phrases and words in a language, a new list object whenever
   * they change.
   */
  public static WhisperSpeechRecognizer load(Settings settings, BiFunction<String, Language, List<String>> phrases) {
    settings.models().forEach((lang, file) -> modelFileProblem(file.path()).ifPresent(problem -> {
      throw notAModel(file, problem);
    }));
    WhisperJNI whisper = whisper();
    Map<Language, Model> models = new EnumMap<>(Language.class);
    try {
      for (Map.Entry<Language, ModelFile> e : settings.models().entrySet()) {
        models.put(e.getKey(), loadModel(whisper, e.getValue(), settings.pool()));
      }
    } catch (RuntimeException e) {
      models.values().forEach(m -> free(whisper, m));
      throw e;
    }
    return new WhisperSpeechRecognizer(whisper, settings, models, phrases);
  }

  private static Model loadModel(WhisperJNI whisper, ModelFile file, int states) {
    long start = System.nanoTime();
    WhisperContextParams params = new WhisperContextParams();
    params.useGPU = false;
    WhisperContext context;
    try {
      context = whisper.initNoState(file.path(), params);
    } catch (IOException e) {
      throw notAModel(file, e.getMessage());
    }
    if (context == null) {
      throw notAModel(file, "whisper.cpp could not load it: truncated, or not a whisper model");
    }
    Model model = new Model(context, new ArrayBlockingQueue<>(states));
    for (int i = 0; i < states; i++) {
      WhisperState state = whisper.initState(context);
      if (state == null) {
        free(whisper, model);
        throw new IllegalStateException(file.setting() + ": whisper.cpp could not make a state for '" + file.path()
            + "' (out of memory?)");
      }
      model.states().add(state);
    }
    LOG.info("Whisper model {} loaded in {} ms with {} state(s)", file.path(), (System.nanoTime() - start) / 1_000_000,
        states);
    return model;
  }

  private static IllegalArgumentException notAModel(ModelFile file, String problem) {
    return new IllegalArgumentException(file.setting() + ": '" + file.path() + "' is not a whisper ggml model file ("
        + problem + ")");
  }

  /**
   * Why {@code file} cannot be a whisper ggml model (missing, another format, truncated), checked before native code
   * sees it; empty if it looks like a whole one.
   */
  public static Optional<String> modelFileProblem(Path file) {
    return GgmlModelFile.problem(file);
  }

  private static synchronized WhisperJNI whisper() {
    if (!libraryLoaded) {
      try {
        WhisperJNI.loadLibrary();
      } catch (IOException | UnsatisfiedLinkError e) {
        throw new IllegalStateException("whisper.cpp's native library cannot be loaded: " + e.getMessage(), e);
      }
      libraryLoaded = true;
    }
    return new WhisperJNI();
  }

  @Override
  public int sampleRate() {
    return SAMPLE_RATE;
  }

  @Override
  public Set<Language> languages() {
    return models.keySet();
  }

  @Override
  public Recognition open(String tenantId, Language lang) {
    if (!models.containsKey(lang)) {
      throw new IllegalArgumentException("no whisper model for " + lang.code());
    }
    return new WhisperRecognition(tenantId, lang);
  }

  /** The transcriptions so far: how many, how many at once at most, how long they waited for the pool. */
  public Stats stats() {
    return pool.stats();
  }

  /** Transcribes 16 kHz audio in {@code lang} with the tenant's prompt: the text, empty if nothing was said. */
  String transcribe(String tenantId, Language lang, short[] audio) {
    float[] pcm = new float[Math.max(audio.length, MIN_SAMPLES)];
    for (int i = 0; i < audio.length; i++) {
      pcm[i] = audio[i] / 32768f;
    }
    WhisperFullParams params = params(lang, prompt(tenantId, lang), audioContext(settings.audioCtx(), pcm.length));
    Model model = models.get(lang);
    return pool.run(() -> {
      WhisperState state = model.states().poll();
      // the pool lets no more transcriptions run than each model has states
      assert state != null;
      try {
        long start = System.nanoTime();
        int result = whisper.fullWithState(model.context(), state, params, pcm, pcm.length);
        if (result != 0) {
          LOG.warn("Whisper transcription failed with code {} ({} ms of audio)", result, audio.length / 16);
          return "";
        }
        StringBuilder text = new StringBuilder();
        int segments = whisper.fullNSegmentsFromState(state);
        for (int i = 0; i < segments; i++) {
          text.append(whisper.fullGetSegmentTextFromState(state, i));
        }
        String heard = withoutNonSpeech(text.toString());
        // what a caller said is personal data: its length only, at debug
        LOG.debug("Whisper: {} ms of audio in {} ms (audio context {}), {} characters", audio.length / 16,
            (System.nanoTime() - start) / 1_000_000, params.audioCtx, heard.length());
        return heard;
      } finally {
        model.states().add(state);
      }
    });
  }

  private WhisperFullParams params(Language lang, String prompt, int audioCtx) {
    WhisperFullParams params = new WhisperFullParams(WhisperSamplingStrategy.GREEDY);
    params.language = lang.code();
    params.detectLanguage = false;
    params.translate = false;
    params.nThreads = settings.threads();
    params.audioCtx = audioCtx;
    params.noTimestamps = true;
    params.singleSegment = true;
    params.noContext = true;
    params.initialPrompt = prompt.isEmpty() ? null : prompt;
    params.suppressBlank = true;
    params.suppressNonSpeechTokens = true;
    // one greedy pass: the temperature fallback would decode up to five more times on a hard utterance
    params.temperatureInc = 0;
    params.printProgress = false;
    params.printRealtime = false;
    params.printTimestamps = false;
    params.printSpecial = false;
    return params;
  }

  /**
   * The encoder positions for {@code samples} of audio: at least {@code configured}, enough for all of it (whisper
   * would silently skip audio beyond them), and 0 (the model's full 30 s) when that is what it comes to.
   */
  static int audioContext(int configured, int samples) {
    if (configured == 0) {
      return 0;
    }
    int needed = (samples + SAMPLES_PER_CTX - 1) / SAMPLES_PER_CTX + 16;
    int ctx = Math.max(configured, needed);
    return ctx >= 1500 ? 0 : ctx;
  }

  /** Without what whisper writes for sounds rather than words ([BLANK_AUDIO], (music), *coughs*), or credits. */
  static String withoutNonSpeech(String text) {
    String words = NON_SPEECH.matcher(text).replaceAll(" ").replaceAll("\\s+", " ").strip();
    String lower = words.toLowerCase(Locale.ROOT);
    if (CREDITS.stream().anyMatch(lower::contains) || !words.chars().anyMatch(Character::isLetterOrDigit)) {
      return "";
    }
    return words;
  }

  /** The tenant's terms for whisper's prompt: short phrases first come first, about 200 tokens, no duplicates. */
  String prompt(String tenantId, Language lang) {
    List<String> source = phrases.apply(tenantId, lang);
    String key = tenantId + "/" + lang.code();
    Prompt cached = prompts.get(key);
    if (cached != null && cached.source() == source) {
      return cached.text();
    }
    String text = promptText(source);
    prompts.put(key, new Prompt(source, text));
    return text;
  }

  static String promptText(List<String> phrases) {
    List<String> kept = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int length = 0;
    for (String phrase : phrases) {
      String p = phrase.replaceAll("\\s+", " ").strip();
      if (p.isEmpty() || p.split(" ").length > MAX_PROMPT_PHRASE_WORDS || !seen.add(p.toLowerCase(Locale.ROOT))) {
        continue;
      }
      if (length + p.length() + 2 > MAX_PROMPT_CHARS) {
        break;
      }
      kept.add(p);
      length += p.length() + 2;
    }
    return String.join(", ", kept);
  }

  /** Waits (up to 30 s) for running transcriptions, then frees the models. */
  @Override
  public void close() {
    try {
      if (!pool.drain(30, TimeUnit.SECONDS)) {
        LOG.warn("Whisper transcriptions still running after 30 s: their models are not freed");
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    models.values().forEach(m -> free(whisper, m));
    models.clear();
  }

  private static void free(WhisperJNI whisper, Model model) {
    model.states().forEach(whisper::free);
    model.states().clear();
    whisper.free(model.context());
  }

  /** One caller's audio: utterances found by voice activity, each transcribed when it ends. */
  private final class WhisperRecognition implements Recognition {
    private final String tenantId;
    private final Language lang;
    private final UtteranceCollector utterances;

    WhisperRecognition(String tenantId, Language lang) {
      this.tenantId = tenantId;
      this.lang = lang;
      this.utterances = new UtteranceCollector(settings.endSilenceMillis(), settings.maxUtteranceSeconds());
    }

    @Override
    public Hypothesis accept(short[] samples) {
      UtteranceCollector.Fed fed = utterances.feed(samples);
      if (fed.ended() != null) {
        return heard(fed.ended());
      }
      return fed.speaking() ? new Hypothesis("", true, false, 0) : Hypothesis.NOTHING;
    }

    @Override
    public Hypothesis finish() {
      boolean under = utterances.inUtterance();
      short[] audio = utterances.take();
      return under ? heard(audio) : new Hypothesis("", false, true, 0);
    }

    private Hypothesis heard(short[] audio) {
      String text = transcribe(tenantId, lang, audio);
      // whisper-jni 1.7.1 does not give token probabilities
      return text.isEmpty() ? new Hypothesis("", false, true, 0) : new Hypothesis(text, true, true, 1);
    }

    @Override
    public void close() {
      utterances.take();
    }
  }
}
