package org.civicbot.deploy;

import org.civicbot.bot.handoff.OpeningHours;
import org.civicbot.bot.policy.PolicySettings;
import org.civicbot.bot.privacy.Secrets;
import org.civicbot.channels.phone.speech.WhisperSpeechRecognizer;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.db.Database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CivicBot's settings, read once from the environment at startup. A bad value stops startup with a
 * {@link ConfigException} whose message names the variable.
 *
 * @param port                  {@code CIVICBOT_PORT}, default 8080
 * @param dataDir               {@code CIVICBOT_DATA_DIR}, default {@code ./data}: embedded database, indexes
 * @param databaseUrl           {@code CIVICBOT_DATABASE_URL}: an external PostgreSQL; empty means embedded
 * @param adminToken            {@code CIVICBOT_ADMIN_TOKEN}: bearer token of the admin API
 * @param defaultTenant         {@code CIVICBOT_TENANT}, default {@code eksempel}: the tenant the sample KB goes into
 * @param embeddingModel        {@code CIVICBOT_EMBEDDING_MODEL}: path of an ONNX sentence-embedding model
 * @param embeddingTokenizer    {@code CIVICBOT_EMBEDDING_TOKENIZER}: its tokenizer.json (required with the model)
 * @param embeddingLanguages    {@code CIVICBOT_EMBEDDING_LANGUAGES}, default {@code da,en} for a custom model
 * @param answerThreshold       {@code CIVICBOT_ANSWER_THRESHOLD}: the answer probability needed to answer; empty: the
 *                              threshold learned from the knowledge base
 * @param twilioAccountSid      {@code TWILIO_ACCOUNT_SID}
 * @param twilioAuthToken       {@code TWILIO_AUTH_TOKEN}
 * @param publicBaseUrl         {@code PUBLIC_BASE_URL}: how Twilio reaches this server
 * @param rateLimitClient       {@code CIVICBOT_RATE_LIMIT_CLIENT}, default 60: chat requests a minute per client address
 * @param rateLimitConversation {@code CIVICBOT_RATE_LIMIT_CONVERSATION}, default 20: messages a minute per conversation
 * @param retentionDays         {@code CIVICBOT_RETENTION_DAYS}, default 90: conversations idle longer are deleted
 * @param conversationTimeout   {@code CIVICBOT_CONVERSATION_TIMEOUT_MINUTES}, default 30: idle conversations end
 * @param clarifyMargin         {@code CIVICBOT_CLARIFY_MARGIN}: how close two answers must be to ask which was meant
 * @param textsFile             {@code CIVICBOT_TEXTS_FILE}: the assistant's texts (format of civicbot/texts.yaml)
 * @param intentsFile           {@code CIVICBOT_INTENTS_FILE}: special-intent phrases (format of civicbot/intents.yaml)
 * @param intentExamplesFile    {@code CIVICBOT_INTENT_EXAMPLES_FILE}: labelled examples the intent classifier learns
 *                              from (format of civicbot/intent-examples.yaml)
 * @param twilioApiUrl          {@code CIVICBOT_TWILIO_API_URL}: Twilio's REST API base URL (default https://api.twilio.com)
 * @param phoneTransferNumber   {@code CIVICBOT_PHONE_TRANSFER_NUMBER}: the human queue calls are put through to (E.164)
 * @param phoneHours            {@code CIVICBOT_PHONE_HOURS} in {@code CIVICBOT_TIMEZONE} (default Europe/Copenhagen):
 *                              when people take transferred calls, default {@code mon-thu 08:00-15:00; fri 08:00-13:00};
 *                              {@code always} or {@code never} (callbacks only) also work
 * @param phoneSmsFrom          {@code CIVICBOT_PHONE_SMS_FROM}: the number text messages are sent from (E.164)
 * @param phoneLanguage         {@code CIVICBOT_PHONE_LANGUAGE}, default {@code da}: the language calls start in
 * @param phoneSilenceSeconds   {@code CIVICBOT_PHONE_SILENCE_SECONDS}, default 10: caller silence before a prompt
 * @param phoneMaxCalls         {@code CIVICBOT_PHONE_MAX_CALLS}, default 20: calls taken at once; further callers hear
 *                              the lines are busy and are put through or offered a callback
 * @param phoneMaxCallsPerTenant {@code CIVICBOT_PHONE_MAX_CALLS_PER_TENANT}, default the same: one municipality's share
 * @param voskModels            {@code CIVICBOT_VOSK_MODEL_DA}, {@code CIVICBOT_VOSK_MODEL_EN}: speech model folders
 * @param whisper               {@code CIVICBOT_WHISPER_MODEL_DA}, {@code CIVICBOT_WHISPER_MODEL_EN}: whisper ggml model
 *                              files, each language with one is recognized by Whisper instead of Vosk; and
 *                              {@code CIVICBOT_WHISPER_THREADS}, {@code _POOL}, {@code _AUDIO_CTX}, {@code _END_SILENCE_MS}
 * @param espeakCommand         {@code CIVICBOT_ESPEAK}, default {@code espeak-ng}: the local text-to-speech program
 * @param databasePoolSize      {@code CIVICBOT_DATABASE_POOL}, default 16: database connections of this process
 * @param turnThreads           {@code CIVICBOT_TURN_THREADS}, default the cores: messages decided at once
 * @param maxMessages           {@code CIVICBOT_MAX_MESSAGES}, default 200: a conversation's messages before it ends
 * @param secureCookies         {@code CIVICBOT_SECURE_COOKIES}, default true: staff cookies only over https (browsers
 *                              also send them to http://localhost); {@code false} for plain http on another host
 */
public record Config(
    int port,
    Path dataDir,
    Optional<String> databaseUrl,
    Optional<String> adminToken,
    String defaultTenant,
    Optional<Path> embeddingModel,
    Optional<Path> embeddingTokenizer,
    Set<Language> embeddingLanguages,
    Optional<Double> answerThreshold,
    Optional<String> twilioAccountSid,
    Optional<String> twilioAuthToken,
    Optional<String> publicBaseUrl,
    int rateLimitClient,
    int rateLimitConversation,
    int retentionDays,
    Duration conversationTimeout,
    Optional<Double> clarifyMargin,
    Optional<Path> textsFile,
    Optional<Path> intentsFile,
    Optional<Path> intentExamplesFile,
    Optional<String> twilioApiUrl,
    Optional<String> phoneTransferNumber,
    OpeningHours phoneHours,
    Optional<String> phoneSmsFrom,
    Language phoneLanguage,
    int phoneSilenceSeconds,
    int phoneMaxCalls,
    int phoneMaxCallsPerTenant,
    Map<Language, Path> voskModels,
    WhisperSpeechRecognizer.Settings whisper,
    String espeakCommand,
    int databasePoolSize,
    int turnThreads,
    int maxMessages,
    boolean secureCookies) {

  /** The settings, with the admin token, Twilio's auth token and the database password masked. */
  @Override
  public String toString() {
    return Secrets.toString(this, Set.of("adminToken", "twilioAuthToken"));
  }

  /** Typical Danish municipal telephone hours. */
  public static final String DEFAULT_PHONE_HOURS = "mon-thu 08:00-15:00; fri 08:00-13:00";

  /** A setting that cannot be used; the message names the variable and what is wrong with it. */
  public static final class ConfigException extends RuntimeException {
    ConfigException(String variable, String problem) {
      super(variable + " " + problem);
    }
  }

  public static Config fromEnvironment(Map<String, String> env) {
    int port = parsePort(env.get("CIVICBOT_PORT"));
    Path dataDir = Path.of(value(env, "CIVICBOT_DATA_DIR").orElse("./data")).toAbsolutePath().normalize();
    Optional<String> databaseUrl = value(env, "CIVICBOT_DATABASE_URL");
    databaseUrl.ifPresent(url -> {
      try {
        Database.validateUrl(url);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("CIVICBOT_DATABASE_URL", e.getMessage().replace(url, "<hidden>"));
      }
    });
    String tenant = value(env, "CIVICBOT_TENANT").orElse("eksempel");
    if (!tenant.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new ConfigException("CIVICBOT_TENANT", "must be lowercase letters, digits and hyphens, but was '"
          + tenant + "'");
    }
    Optional<Path> model = value(env, "CIVICBOT_EMBEDDING_MODEL").map(Path::of);
    Optional<Path> tokenizer = value(env, "CIVICBOT_EMBEDDING_TOKENIZER").map(Path::of);
    if (model.isPresent() != tokenizer.isPresent()) {
      throw new ConfigException(model.isPresent() ? "CIVICBOT_EMBEDDING_TOKENIZER" : "CIVICBOT_EMBEDDING_MODEL",
          "must be set together with " + (model.isPresent() ? "CIVICBOT_EMBEDDING_MODEL" : "CIVICBOT_EMBEDDING_TOKENIZER"));
    }
    Set<Language> languages = EnumSet.noneOf(Language.class);
    for (String code : value(env, "CIVICBOT_EMBEDDING_LANGUAGES").orElse("da,en").split(",")) {
      try {
        languages.add(Language.fromCode(code));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("CIVICBOT_EMBEDDING_LANGUAGES", e.getMessage());
      }
    }
    Optional<String> publicBaseUrl = value(env, "PUBLIC_BASE_URL");
    publicBaseUrl.ifPresent(url -> {
      if (!url.startsWith("https://") && !url.startsWith("http://")) {
        throw new ConfigException("PUBLIC_BASE_URL", "must be an http(s) URL, but was '" + url + "'");
      }
    });
    int maxCalls = integer(env, "CIVICBOT_PHONE_MAX_CALLS", 20, 1, 10_000);
    return new Config(port, dataDir, databaseUrl, value(env, "CIVICBOT_ADMIN_TOKEN"), tenant, model, tokenizer,
        languages, fraction(env, "CIVICBOT_ANSWER_THRESHOLD", true), value(env, "TWILIO_ACCOUNT_SID"), value(env, "TWILIO_AUTH_TOKEN"), publicBaseUrl,
        integer(env, "CIVICBOT_RATE_LIMIT_CLIENT", 60, 1, 1_000_000),
        integer(env, "CIVICBOT_RATE_LIMIT_CONVERSATION", 20, 1, 1_000_000),
        integer(env, "CIVICBOT_RETENTION_DAYS", 90, 1, 3_650),
        Duration.ofMinutes(integer(env, "CIVICBOT_CONVERSATION_TIMEOUT_MINUTES", 30, 1, 24 * 60)),
        fraction(env, "CIVICBOT_CLARIFY_MARGIN", false), existingFile(env, "CIVICBOT_TEXTS_FILE"),
        existingFile(env, "CIVICBOT_INTENTS_FILE"), existingFile(env, "CIVICBOT_INTENT_EXAMPLES_FILE"),
        url(env, "CIVICBOT_TWILIO_API_URL"),
        phoneNumber(env, "CIVICBOT_PHONE_TRANSFER_NUMBER"), openingHours(env), phoneNumber(env, "CIVICBOT_PHONE_SMS_FROM"),
        language(env, "CIVICBOT_PHONE_LANGUAGE", Language.DA),
        integer(env, "CIVICBOT_PHONE_SILENCE_SECONDS", 10, 3, 120), maxCalls,
        integer(env, "CIVICBOT_PHONE_MAX_CALLS_PER_TENANT", maxCalls, 1, maxCalls), voskModels(env), whisper(env),
        value(env, "CIVICBOT_ESPEAK").orElse("espeak-ng"),
        integer(env, "CIVICBOT_DATABASE_POOL", 16, 1, 500),
        integer(env, "CIVICBOT_TURN_THREADS", Runtime.getRuntime().availableProcessors(), 1, 256),
        integer(env, "CIVICBOT_MAX_MESSAGES", PolicySettings.DEFAULTS.maxMessages(), 1, 100_000),
        bool(env, "CIVICBOT_SECURE_COOKIES", true));
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback) {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return fallback;
    }
    return switch (v.get().strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new ConfigException(name, "must be true or false, but was '" + v.get() + "'");
    };
  }

  private static OpeningHours openingHours(Map<String, String> env) {
    ZoneId zone;
    try {
      zone = ZoneId.of(value(env, "CIVICBOT_TIMEZONE").orElse("Europe/Copenhagen"));
    } catch (DateTimeException e) {
      throw new ConfigException("CIVICBOT_TIMEZONE", "must be a time zone such as Europe/Copenhagen, but was '"
          + env.get("CIVICBOT_TIMEZONE") + "'");
    }
    try {
      return OpeningHours.parse(value(env, "CIVICBOT_PHONE_HOURS").orElse(DEFAULT_PHONE_HOURS), zone);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("CIVICBOT_PHONE_HOURS", "is not understood: " + e.getMessage());
    }
  }

  private static Optional<String> url(Map<String, String> env, String name) {
    Optional<String> url = value(env, name);
    url.ifPresent(u -> {
      if (!u.startsWith("https://") && !u.startsWith("http://")) {
        throw new ConfigException(name, "must be an http(s) URL, but was '" + u + "'");
      }
    });
    return url;
  }

  private static Optional<String> phoneNumber(Map<String, String> env, String name) {
    Optional<String> number = value(env, name);
    number.ifPresent(n -> {
      if (!n.matches("\\+[1-9][0-9]{6,14}")) {
        throw new ConfigException(name, "must be a phone number in E.164 form such as +4572100000, but was '" + n
            + "'");
      }
    });
    return number;
  }

  private static Language language(Map<String, String> env, String name, Language defaultValue) {
    try {
      return value(env, name).map(Language::fromCode).orElse(defaultValue);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, e.getMessage());
    }
  }

  /**
   * The speech model folder per language: {@code CIVICBOT_VOSK_MODEL_<LANG>}, else for English the model the build
   * unpacks next to the jar ({@code models/vosk-model-en-us}).
   */
  private static Map<Language, Path> voskModels(Map<String, String> env) {
    Map<Language, Path> models = new EnumMap<>(Language.class);
    for (Language lang : Language.values()) {
      String name = "CIVICBOT_VOSK_MODEL_" + lang.code().toUpperCase(java.util.Locale.ROOT);
      Optional<Path> dir = value(env, name).map(Path::of);
      if (dir.isPresent() && !Files.isDirectory(dir.get())) {
        throw new ConfigException(name, "must name a folder holding a Vosk model, but '" + dir.get() + "' is not one");
      }
      dir.ifPresent(d -> models.put(lang, d));
    }
    models.computeIfAbsent(Language.EN, l -> besideJar().resolve("models").resolve("vosk-model-en-us"));
    return Map.copyOf(models);
  }

  /**
   * Whisper for each language whose {@code CIVICBOT_WHISPER_MODEL_<LANG>} names a ggml model file (checked here, so
   * a wrong path stops startup before any native code reads it); {@code CIVICBOT_WHISPER_THREADS} per transcription
   * (default: the cores), {@code CIVICBOT_WHISPER_POOL} transcriptions at once (default: cores / threads),
   * {@code CIVICBOT_WHISPER_AUDIO_CTX} the least encoder context in 20 ms steps (default 512, 0: the full 30 s),
   * {@code CIVICBOT_WHISPER_END_SILENCE_MS} the silence that ends an utterance (default 700).
   */
  private static WhisperSpeechRecognizer.Settings whisper(Map<String, String> env) {
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = integer(env, "CIVICBOT_WHISPER_THREADS", Math.max(1, cores), 1, 64);
    WhisperSpeechRecognizer.Settings.Builder settings = WhisperSpeechRecognizer.Settings.builder()
        .threads(threads)
        .pool(integer(env, "CIVICBOT_WHISPER_POOL", Math.max(1, cores / threads), 1, 64))
        .audioCtx(integer(env, "CIVICBOT_WHISPER_AUDIO_CTX", WhisperSpeechRecognizer.Settings.DEFAULT_AUDIO_CTX, 0,
            1500))
        .endSilenceMillis(integer(env, "CIVICBOT_WHISPER_END_SILENCE_MS",
            WhisperSpeechRecognizer.Settings.DEFAULT_END_SILENCE_MILLIS, 200, 3000));
    for (Language lang : Language.values()) {
      String name = "CIVICBOT_WHISPER_MODEL_" + lang.code().toUpperCase(java.util.Locale.ROOT);
      Optional<Path> file = value(env, name).map(Path::of);
      if (file.isPresent()) {
        WhisperSpeechRecognizer.modelFileProblem(file.get()).ifPresent(problem -> {
          throw new ConfigException(name, "must name a whisper ggml model file, but '" + file.get()
              + "' is not one (" + problem + ")");
        });
        settings.model(lang, file.get(), name);
      }
    }
    return settings.build();
  }

  /** The folder holding the running jar (or, in tests, the classes folder's parent: {@code deploy/target}). */
  static Path besideJar() {
    try {
      Path location = Path.of(Config.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return location.getParent();
    } catch (java.net.URISyntaxException | SecurityException | NullPointerException e) {
      return Path.of(".");
    }
  }

  /** A number from 0 to 1 ({@code upToOne}: 1 included). */
  private static Optional<Double> fraction(Map<String, String> env, String name, boolean upToOne) {
    return value(env, name).map(v -> {
      try {
        double d = Double.parseDouble(v);
        if (d >= 0 && (upToOne ? d <= 1 : d < 1)) {
          return d;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new ConfigException(name, "must be a number from 0 " + (upToOne ? "to 1" : "up to 1") + ", but was '"
          + v + "'");
    });
  }

  private static int integer(Map<String, String> env, String name, int defaultValue, int min, int max) {
    Optional<String> raw = value(env, name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int v = Integer.parseInt(raw.get());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ConfigException(name, "must be a whole number from " + min + " to " + max + ", but was '"
        + raw.get() + "'");
  }

  private static Optional<Path> existingFile(Map<String, String> env, String name) {
    Optional<Path> file = value(env, name).map(Path::of);
    file.ifPresent(f -> {
      if (!Files.isRegularFile(f)) {
        throw new ConfigException(name, "must name a readable file, but '" + f + "' is not one");
      }
    });
    return file;
  }

  private static int parsePort(String raw) {
    if (raw == null || raw.isBlank()) {
      return 8080;
    }
    try {
      int port = Integer.parseInt(raw.strip());
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ConfigException("CIVICBOT_PORT", "must be a port number from 0 to 65535, but was '" + raw + "'");
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}
