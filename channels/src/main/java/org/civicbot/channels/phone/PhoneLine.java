package org.civicbot.channels.phone;

import com.twilio.security.RequestValidator;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.PhoneTexts;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.handoff.CallbackQueue;
import org.civicbot.bot.handoff.OpeningHours;
import org.civicbot.channels.phone.speech.SpeechRecognizer;
import org.civicbot.channels.phone.speech.SpeechSynthesizer;
import org.civicbot.knowledge.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The phone channel: Twilio's webhooks and the Media Stream WebSocket at {@code /twilio/media}, one
 * {@link MediaStreamSession} per call. Holds what the calls share: the engine, speech recognition and synthesis on a
 * worker pool sized to the machine, Twilio's REST API, the settings and texts.
 */
public final class PhoneLine {
  private static final Logger LOG = LoggerFactory.getLogger(PhoneLine.class);
  final Vertx vertx;
  final BotEngine engine;
  final ConversationStore conversations;
  final CallbackQueue callbacks;
  final SpeechRecognizer recognizer;
  final SpeechSynthesizer synthesizer;
  final Optional<TwilioCalls> calls;
  final PhoneSettings settings;
  final PhoneTexts texts;
  final Clock clock;
  private final java.util.function.Function<String, OpeningHours> openingHours;
  final WorkerExecutor speechWorkers;
  /**
   * The threads the calls' recognizers run on; each call uses them through its own {@link SerialWork}, one task at a
   * time. Daemon threads: they never keep the server from stopping.
   */
  final ExecutorService recognitionPool;
  private final Predicate<String> tenantAvailable;
  private final Set<MediaStreamSession> sessions = ConcurrentHashMap.newKeySet();
  /** How long after the voice webhook its stream may start. Twilio opens it at once; the rest is for slow networks. */
  static final Duration STREAM_TOKEN_TTL = Duration.ofMinutes(2);
  final StreamToken tokens;
  private final RequestValidator validator;
  /** The calls admitted by the voice webhook and not yet ended (a call not yet streaming expires with its token). */
  private final Map<String, Admission> admitted = new ConcurrentHashMap<>();

  private record Admission(String tenant, Instant expiry, boolean live) {
  }

  /** Stream tokens already used: a token admits one stream (on every replica, with the PostgreSQL ledger). */
  final StreamTokenLedger tokenLedger;

  private PhoneLine(Builder b) {
    this.vertx = Objects.requireNonNull(b.vertx, "vertx");
    this.engine = Objects.requireNonNull(b.engine, "engine");
    this.conversations = Objects.requireNonNull(b.conversations, "conversations");
    this.callbacks = Objects.requireNonNull(b.callbacks, "callbacks");
    this.recognizer = Objects.requireNonNull(b.recognizer, "recognizer");
    this.synthesizer = Objects.requireNonNull(b.synthesizer, "synthesizer");
    this.calls = b.calls;
    this.settings = Objects.requireNonNull(b.settings, "settings");
    this.texts = Objects.requireNonNull(b.texts, "texts").withOpeningHours(settings.openingHours());
    this.clock = b.clock;
    this.openingHours = b.openingHours != null ? b.openingHours : tenant -> settings.openingHours();
    this.tenantAvailable = b.tenantAvailable;
    this.tokens = new StreamToken(settings.authToken());
    this.tokenLedger = b.tokenLedger == null ? StreamTokenLedger.inMemory(clock) : b.tokenLedger;
    this.validator = new RequestValidator(settings.authToken());
    this.speechWorkers = vertx.createSharedWorkerExecutor("civicbot-speech",
        Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
    AtomicInteger threads = new AtomicInteger();
    this.recognitionPool = Executors.newFixedThreadPool(
        Math.max(2, 2 * Runtime.getRuntime().availableProcessors()), runnable -> {
          Thread thread = new Thread(runnable, "civicbot-recognition-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    if (recognizer.languages().isEmpty()) {
      LOG.warn("The phone line has no speech model: calls will be told so and put through to a person");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Assembles a phone line; Twilio's REST API, the clock and the tenant check are optional. */
  public static final class Builder {
    private Vertx vertx;
    private BotEngine engine;
    private ConversationStore conversations;
    private CallbackQueue callbacks;
    private SpeechRecognizer recognizer;
    private SpeechSynthesizer synthesizer;
    private Optional<TwilioCalls> calls = Optional.empty();
    private PhoneSettings settings;
    private PhoneTexts texts = PhoneTexts.bundled();
    private Clock clock = Clock.systemUTC();
    private java.util.function.Function<String, OpeningHours> openingHours;
    private Predicate<String> tenantAvailable = tenant -> true;
    private StreamTokenLedger tokenLedger;

    private Builder() {
    }

    public Builder vertx(Vertx vertx) {
      this.vertx = vertx;
      return this;
    }

    public Builder engine(BotEngine engine, ConversationStore conversations) {
      this.engine = engine;
      this.conversations = conversations;
      return this;
    }

    public Builder callbacks(CallbackQueue callbacks) {
      this.callbacks = callbacks;
      return this;
    }

    public Builder speech(SpeechRecognizer recognizer, SpeechSynthesizer synthesizer) {
      this.recognizer = recognizer;
      this.synthesizer = synthesizer;
      return this;
    }

    /** Twilio's REST API: transfers, hang-ups and text messages need it. */
    public Builder calls(Optional<TwilioCalls> calls) {
      this.calls = Objects.requireNonNull(calls);
      return this;
    }

    public Builder settings(PhoneSettings settings, PhoneTexts texts) {
      this.settings = settings;
      this.texts = texts;
      return this;
    }

    /** The clock that tells whether the line is within opening hours. */
    /** Each tenant's opening hours (default: the settings' hours for every tenant). */
    public Builder openingHours(java.util.function.Function<String, OpeningHours> hours) {
      this.openingHours = Objects.requireNonNull(hours);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Which tenants calls may name (a tenant whose knowledge base is not ready is refused). */
    public Builder tenantAvailable(Predicate<String> tenantAvailable) {
      this.tenantAvailable = Objects.requireNonNull(tenantAvailable);
      return this;
    }

    /** Where used stream tokens are kept; in memory (this replica only) when not given. */
    public Builder tokenLedger(StreamTokenLedger tokenLedger) {
      this.tokenLedger = Objects.requireNonNull(tokenLedger);
      return this;
    }

    public PhoneLine build() {
      return new PhoneLine(this);
    }
  }

  /** Mounts the media stream WebSocket; call before any body handler, which would consume the upgrade request. */
  public void mountWebSocket(Router router) {
    router.get("/twilio/media").handler(this::upgrade);
  }

  /** Mounts the webhooks; expects the body handler before them. */
  public void mountWebhooks(Router router) {
    new TwilioWebhooks(this, validator).mount(router);
  }

  /**
   * Admits call {@code callSid} for {@code tenant} when the line has room: fewer than {@link PhoneSettings#maxCalls()}
   * calls in all and fewer than {@link PhoneSettings#maxCallsPerTenant()} for the tenant, counting calls whose stream
   * has not started yet. A refused caller is told the lines are busy (see {@link TwilioWebhooks}).
   */
  synchronized boolean admit(String callSid, String tenant) {
    Instant now = clock.instant();
    admitted.values().removeIf(a -> !a.live() && a.expiry().isBefore(now));
    if (admitted.containsKey(callSid)) {
      return true;
    }
    long forTenant = admitted.values().stream().filter(a -> a.tenant().equals(tenant)).count();
    if (admitted.size() >= settings.maxCalls() || forTenant >= settings.maxCallsPerTenant()) {
      LOG.warn("Call {} for tenant {} refused: {} calls in all, {} for the tenant", callSid, tenant, admitted.size(),
          forTenant);
      return false;
    }
    admitted.put(callSid, new Admission(tenant, now.plus(STREAM_TOKEN_TTL), false));
    return true;
  }

  /** The call's stream started: it counts until it ends (also a stream reconnected to another replica). */
  synchronized void started(String callSid, String tenant) {
    admitted.put(callSid, new Admission(tenant, Instant.MAX, true));
  }

  synchronized void ended(String callSid) {
    admitted.remove(callSid);
  }

  /**
   * Whether a person can take a call for {@code tenant} now: a queue number, Twilio's REST API, and within the
   * tenant's opening hours.
   */
  boolean staffedNow(String tenant) {
    return calls.isPresent() && settings.transferNumber().isPresent()
        && openingHours.apply(tenant).isOpen(clock.instant());
  }

  /** The calls in progress. */
  public int activeCalls() {
    return sessions.size();
  }

  boolean tenantAvailable(String tenant) {
    return tenantAvailable.test(tenant);
  }

  /** The language a call starts in: the configured one if it can be understood and spoken, else one that can. */
  Optional<Language> startLanguage() {
    if (understands(settings.defaultLanguage())) {
      return Optional.of(settings.defaultLanguage());
    }
    return recognizer.languages().stream().filter(synthesizer::speaks).findFirst();
  }

  boolean understands(Language lang) {
    return recognizer.languages().contains(lang) && synthesizer.speaks(lang);
  }

  private void upgrade(RoutingContext ctx) {
    // Twilio signs the WebSocket handshake like a webhook: over the stream's public wss:// URL, without parameters
    String signature = ctx.request().getHeader("X-Twilio-Signature");
    if (signature == null || !validator.validate(settings.mediaStreamUrl(), Map.of(), signature)) {
      LOG.warn("Refused a media stream with a {} signature", signature == null ? "missing" : "wrong");
      ctx.fail(403, new IllegalArgumentException("The media stream does not carry a valid Twilio signature."));
      return;
    }
    ctx.request().toWebSocket()
        .onSuccess(this::accept)
        .onFailure(e -> LOG.debug("Media stream upgrade failed", e));
  }

  private void accept(ServerWebSocket ws) {
    MediaStreamSession session = new MediaStreamSession(this, ws);
    sessions.add(session);
    ws.closeHandler(v -> {
      session.closed();
      sessions.remove(session);
    });
    ws.textMessageHandler(session::onText);
    ws.exceptionHandler(e -> LOG.warn("Media stream error", e));
  }
}
