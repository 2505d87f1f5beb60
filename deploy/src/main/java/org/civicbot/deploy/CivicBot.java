package org.civicbot.deploy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.civicbot.admin.StaffRoutes;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.BotTexts;
import org.civicbot.bot.ConversationJanitor;
import org.civicbot.bot.PhoneTexts;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.handoff.CallbackQueue;
import org.civicbot.bot.handoff.StaffedHours;
import org.civicbot.bot.push.PushRelay;
import org.civicbot.bot.intent.IntentClassifier;
import org.civicbot.bot.intent.IntentMatcher;
import org.civicbot.bot.policy.PolicySettings;
import org.civicbot.channels.phone.PhoneLine;
import org.civicbot.channels.phone.PhoneSettings;
import org.civicbot.channels.phone.StreamTokenLedger;
import org.civicbot.channels.phone.TwilioCalls;
import org.civicbot.channels.phone.TwilioRestCalls;
import org.civicbot.channels.phone.speech.EspeakSynthesizer;
import org.civicbot.channels.phone.speech.KnowledgePhrases;
import org.civicbot.channels.phone.speech.SpeechRecognizer;
import org.civicbot.channels.web.ChatApi;
import org.civicbot.channels.web.WebChatSettings;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.db.Database;
import org.civicbot.knowledge.embedding.TextEmbedder;
import org.civicbot.knowledge.imports.ArticleFolder;
import org.civicbot.knowledge.imports.KnowledgeImporter;
import org.civicbot.knowledge.retrieval.RetrievalSettings;
import org.civicbot.knowledge.store.ArticleStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One running CivicBot: the HTTP server comes up first (health answers 503), then the database, the sample knowledge
 * base on first start and the indexes; health answers 200 once both are ready.
 */
public final class CivicBot {
  private static final Logger LOG = LoggerFactory.getLogger(CivicBot.class);
  /** Body limit for every request; larger bodies get 413. */
  public static final long MAX_BODY_BYTES = 64 * 1024;
  private static final Duration STALE_CHECK = Duration.ofSeconds(15);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(120);

  private final Config config;
  private final Vertx vertx;
  private final Clock clock;
  private final AtomicReference<Database> database = new AtomicReference<>();
  private final AtomicReference<KnowledgeBase> knowledgeBase = new AtomicReference<>();
  private volatile boolean ready;
  /** The HTTP servers sharing the port, the first one's port being the one that counts. */
  private final List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final int EVENT_LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors());
  private long staleTimer = -1;

  private CivicBot(Config config, Vertx vertx, Clock clock) {
    this.config = config;
    this.vertx = vertx;
    this.clock = clock;
  }

  /** Starts the server; the future completes once it listens. Readiness follows, see {@link #whenReady()}. */
  public static Future<CivicBot> start(Config config, Vertx vertx) {
    return start(config, vertx, Clock.systemUTC());
  }

  /** Starts the server with {@code clock} telling the time of day (opening hours). */
  public static Future<CivicBot> start(Config config, Vertx vertx, Clock clock) {
    CivicBot bot = new CivicBot(config, vertx, clock);
    return bot.listen().map(bot);
  }

  private Future<Void> listen() {
    Router router = Router.router(vertx);
    this.router = router;
    // Bodies only for methods that carry one: a body handler on a WebSocket upgrade would consume the request.
    BodyHandler body = BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false);
    // the editors' import takes article files and archives: a larger limit, written to the data dir, then deleted
    BodyHandler upload = BodyHandler.create(config.dataDir().resolve("uploads").toString())
        .setBodyLimit(StaffRoutes.MAX_UPLOAD_BYTES).setHandleFileUploads(true).setDeleteUploadedFilesOnEnd(true);
    router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
        .handler(ctx -> (StaffRoutes.UPLOAD_PATH.equals(ctx.request().path()) ? upload : body).handle(ctx))
        .handler(JsonBodyGuard::check);
    router.route().handler(CivicBot::securityHeaders);
    router.get("/health").handler(this::health);
    router.route("/api/*").handler(this::whenReadyOr503);
    router.route("/twilio/*").handler(this::whenReadyOr503);
    router.route("/admin*").handler(this::whenReadyOr503);
    // the demo pages and the widget; the API routes, mounted once the database is ready, never pass through it
    router.routeWithRegex("/(?!api/|twilio/|admin(/|$)).*").handler(StaticHandler.create("webroot").setCachingEnabled(true).setMaxAgeSeconds(300)
        .setIndexPage("index.html").setDirectoryListing(false));
    router.route().last().handler(ctx -> ErrorResponses.send(ctx, 404, "not_found",
        "No resource at " + ctx.request().path()));
    router.route().failureHandler(ErrorResponses::handleFailure);
    // one server per core, each on its own event loop, sharing the port: one event loop would carry every request's
    // HTTP, JSON and database callbacks alone while the other cores wait
    // (Vert.x shares a port between servers that name the same one: port 0 becomes a free port first)
    int port;
    try {
      port = config.port() != 0 ? config.port() : freePort();
    } catch (java.io.IOException e) {
      return Future.failedFuture(e);
    }
    List<Future<HttpServer>> all = new ArrayList<>();
    for (int i = 0; i < EVENT_LOOPS; i++) {
      all.add(listen(router, port));
    }
    return Future.all(all)
        .onSuccess(s -> LOG.info("CivicBot listens on http://localhost:{}/ (health: /health)", port()))
        .mapEmpty();
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private Future<HttpServer> listen(Router router, int port) {
    return vertx.createHttpServer(new HttpServerOptions()
            // a connection that sends nothing (a stalled upload, an idle keep-alive, a dead socket) is closed; the
            // widget's WebSocket pings well within it
            .setIdleTimeout((int) IDLE_TIMEOUT.toSeconds())
            .setIdleTimeoutUnit(TimeUnit.SECONDS))
        .requestHandler(router)
        .listen(port, "0.0.0.0")
        .onSuccess(servers::add);
  }

  private void whenReadyOr503(RoutingContext ctx) {
    if (ready) {
      ctx.next();
    } else {
      ctx.response().putHeader("retry-after", "5");
      ErrorResponses.send(ctx, 503, "starting", "CivicBot is starting. Please try again in a moment.");
    }
  }

  private Future<Void> initialization;
  private Router router;
  private ConversationStore conversations;
  private CallbackQueue callbacks;
  private StaffedHours staffedHours;
  private BotEngine engine;
  private ConversationJanitor janitor;
  /** Pushes to and from the other replicas on the same PostgreSQL (LISTEN/NOTIFY). */
  private volatile PushRelay pushRelay;
  private PhoneLine phoneLine;
  private SpeechRecognizer recognizer;

  /** Headers that every response carries; the demo pages may only run scripts from this server. */
  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "strict-origin-when-cross-origin")
        .putHeader("content-security-policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'self'; base-uri 'self';"
            + " form-action 'self'");
    ctx.next();
  }

  /** Opens the database and knowledge base; completes when health says up. */
  public synchronized Future<Void> whenReady() {
    if (initialization == null) {
      initialization = initialize()
          .onSuccess(v -> {
            ready = true;
            staleTimer = vertx.setPeriodic(STALE_CHECK.toMillis(), id -> knowledgeBase.get().refreshStale()
                .onFailure(e -> LOG.warn("Could not check the knowledge indexes for changes", e)));
            LOG.info("CivicBot is ready");
          })
          .onFailure(e -> LOG.error("CivicBot could not start", e));
    }
    return initialization;
  }

  private Future<Void> initialize() {
    return vertx.executeBlocking(() -> Database.open(vertx, config.databaseUrl(), config.dataDir(),
        config.databasePoolSize()))
        .compose(db -> {
          database.set(db);
          ArticleStore store = ArticleStore.create(db.pool());
          RetrievalSettings settings = RetrievalSettings.DEFAULTS.withAnswerProbability(
              config.answerThreshold().orElse(Double.NaN));
          return vertx.executeBlocking(this::embedder).map(embedder -> KnowledgeBase.create(vertx, store,
              config.dataDir().resolve("index"), embedder, settings, Clock.systemDefaultZone()));
        })
        .compose(kb -> {
          knowledgeBase.set(kb);
          return kb.store().ensureTenant(config.defaultTenant(), "Eksempel Kommune")
              .compose(v -> kb.store().countArticles(config.defaultTenant()))
              .compose(count -> count > 0 ? Future.succeededFuture() : importSample(kb))
              .compose(v -> kb.start())
              .compose(v -> vertx.executeBlocking(() -> startConversations(kb)));
        });
  }

  /** The conversation engine, the chat API, the admin API and the housekeeping of conversations. */
  private Void startConversations(KnowledgeBase kb) {
    conversations = ConversationStore.create(vertx, database.get().pool());
    callbacks = CallbackQueue.create(database.get().pool());
    staffedHours = StaffedHours.start(vertx, database.get().pool(), config.phoneHours()).toCompletionStage()
        .toCompletableFuture().join();
    PolicySettings policy = config.clarifyMargin().map(PolicySettings.DEFAULTS::withClarifyMargin)
        .orElse(PolicySettings.DEFAULTS).withMaxMessages(config.maxMessages());
    IntentClassifier classifier = IntentClassifier.train(IntentClassifier.withOffTopic(config.intentExamplesFile()
        .map(IntentClassifier::examplesFromFile).orElseGet(IntentClassifier::bundledExamples)));
    IntentMatcher intents = config.intentsFile().map(f -> IntentMatcher.fromFile(f, classifier))
        .orElseGet(() -> IntentMatcher.bundled(classifier));
    engine = BotEngine.builder()
        .vertx(vertx)
        .turnThreads(config.turnThreads())
        .knowledgeBase(kb)
        .conversations(conversations)
        .texts(config.textsFile().map(BotTexts::fromFile).orElseGet(BotTexts::bundled))
        .intents(intents)
        .policy(policy)
        .phoneTexts(PhoneTexts.bundled().withOpeningHours(config.phoneHours()))
        .staffedHours(staffedHours)
        .clock(clock)
        .build();
    engine.prepare(config.defaultTenant());
    WebChatSettings chat = WebChatSettings.defaults(config.defaultTenant())
        .withRateLimits(config.rateLimitClient(), config.rateLimitConversation()).withZone(config.phoneHours().zone());
    ChatApi chatApi = new ChatApi(vertx, engine, conversations, callbacks, kb::ready, chat);
    PushRelay.start(vertx, database.get().connectOptions(), database.get().pool(), conversations, engine)
        .onSuccess(relay -> {
          relay.onReconnect(chatApi::resync);
          pushRelay = relay;
        })
        .onFailure(e -> LOG.warn("Pushes will not reach other replicas: {}", e.getMessage()));
    chatApi.mountWebSocket(router);
    chatApi.mount(router);
    StaffRoutes staff = StaffRoutes.create(vertx, database.get().pool(), new StaffRoutes.Settings(config.defaultTenant(),
        config.adminToken(), config.secureCookies(), config.phoneHours().zone())).toCompletionStage().toCompletableFuture().join();
    staff.mount(router, kb, engine, conversations, callbacks, staffedHours, clock);
    startPhoneLine(kb, intents);
    janitor = new ConversationJanitor(vertx, engine, conversations, config.conversationTimeout(),
        Duration.ofDays(config.retentionDays()), Clock.systemUTC());
    janitor.start(Duration.ofMinutes(1));
    return null;
  }

  /**
   * The phone line, when Twilio can reach it ({@code PUBLIC_BASE_URL}) and sign its requests
   * ({@code TWILIO_AUTH_TOKEN}); otherwise {@code /twilio/*} answers 503 with what is missing.
   */
  private void startPhoneLine(KnowledgeBase kb, IntentMatcher intents) {
    if (config.twilioAuthToken().isEmpty() || config.publicBaseUrl().isEmpty()) {
      LOG.info("Phone line off: set TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL to answer calls");
      router.route("/twilio/*").handler(ctx -> ErrorResponses.send(ctx, 503, "phone_line_off",
          "The phone line is not configured: set TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL."));
      return;
    }
    PhoneTexts phoneTexts = PhoneTexts.bundled();
    Function<Language, List<String>> dialogue = lang -> {
      List<String> own = new ArrayList<>(intents.speakablePhrases(lang));
      own.addAll(phoneTexts.listeningPhrases(lang));
      return own;
    };
    // after a yes/no question only the line's own short phrases: common words there would swallow a short "yes"
    recognizer = PhoneRecognizers.load(config, new KnowledgePhrases(kb, dialogue), phoneTexts::listeningPhrases);
    EspeakSynthesizer synthesizer = new EspeakSynthesizer(config.espeakCommand(),
        Map.of(Language.DA, "da", Language.EN, "en-us"), 160);
    if (!synthesizer.available()) {
      LOG.warn("Text-to-speech program '{}' cannot be run: install espeak-ng (apt-get install espeak-ng)",
          config.espeakCommand());
    }
    Optional<TwilioCalls> calls = config.twilioAccountSid().map(sid -> new TwilioRestCalls(vertx, sid,
        config.twilioAuthToken().get(), config.phoneSmsFrom(), config.twilioApiUrl()));
    if (calls.isEmpty()) {
      LOG.warn("TWILIO_ACCOUNT_SID is not set: calls cannot be put through to a person or send text messages");
    }
    PhoneSettings settings = new PhoneSettings(config.defaultTenant(), config.publicBaseUrl().get(),
        config.twilioAuthToken().get(), config.phoneTransferNumber(), config.phoneHours(), config.phoneLanguage(),
        config.phoneSilenceSeconds(), 15, config.phoneMaxCalls(), config.phoneMaxCallsPerTenant());
    phoneLine = PhoneLine.builder()
        .vertx(vertx)
        .engine(engine, conversations)
        .callbacks(callbacks)
        .speech(recognizer, synthesizer)
        .calls(calls)
        .settings(settings, phoneTexts)
        .clock(clock)
        .openingHours(staffedHours::of)
        .tenantAvailable(kb::ready)
        .tokenLedger(StreamTokenLedger.postgres(database.get().pool()))
        .build();
    phoneLine.mountWebSocket(router);
    phoneLine.mountWebhooks(router);
    LOG.info("Phone line on: Twilio webhook {}/twilio/voice, languages {}", settings.publicBaseUrl(),
        recognizer.languages());
  }

  private Future<Void> importSample(KnowledgeBase kb) {
    LOG.info("First start: importing the sample knowledge base into tenant '{}'", config.defaultTenant());
    return vertx.executeBlocking(ArticleFolder::readSample)
        .compose(contents -> new KnowledgeImporter(kb).importContents(config.defaultTenant(), contents, "sample-import",
            KnowledgeImporter.logging(LOG::info)))
        .onSuccess(report -> {
          LOG.info("Sample knowledge base: {}", report);
          report.problems().forEach(p -> LOG.warn("Sample knowledge base file {}", p));
        })
        .mapEmpty();
  }

  private TextEmbedder embedder() {
    if (config.embeddingModel().isPresent()) {
      LOG.info("Embedding model: {} for {}", config.embeddingModel().get(), config.embeddingLanguages());
      return TextEmbedder.onnx(config.embeddingModel().get(), config.embeddingTokenizer().orElseThrow(),
          config.embeddingLanguages());
    }
    return TextEmbedder.bundled();
  }

  private void health(RoutingContext ctx) {
    KnowledgeBase kb = knowledgeBase.get();
    Database db = database.get();
    boolean knowledgeReady = ready && kb != null && kb.ready(config.defaultTenant());
    if (db == null || !ready) {
      respondHealth(ctx, false, false, knowledgeReady);
      return;
    }
    db.pool().query("SELECT 1").execute()
        .onComplete(result -> respondHealth(ctx, true, result.succeeded(), knowledgeReady));
  }

  private static void respondHealth(RoutingContext ctx, boolean started, boolean databaseUp, boolean knowledgeUp) {
    boolean up = started && databaseUp && knowledgeUp;
    JsonObject body = new JsonObject()
        .put("status", up ? "up" : started ? "down" : "starting")
        .put("database", databaseUp ? "up" : "down")
        .put("knowledge", knowledgeUp ? "up" : "down");
    ctx.response().setStatusCode(up ? 200 : 503)
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(body.encode());
  }

  public int port() {
    return servers.get(0).actualPort();
  }

  public boolean ready() {
    return ready;
  }

  public BotEngine engine() {
    return engine;
  }

  public ConversationStore conversations() {
    return conversations;
  }

  /** The phone line, when configured. */
  public Optional<PhoneLine> phoneLine() {
    return Optional.ofNullable(phoneLine);
  }

  public ConversationJanitor janitor() {
    return janitor;
  }

  public KnowledgeBase knowledgeBase() {
    return knowledgeBase.get();
  }

  public Database database() {
    return database.get();
  }

  /** Stops accepting requests, then closes the knowledge base and the database (stopping an embedded server). */
  public Future<Void> stop() {
    ready = false;
    if (staleTimer >= 0) {
      vertx.cancelTimer(staleTimer);
    }
    if (janitor != null) {
      janitor.stop();
    }
    if (pushRelay != null) {
      pushRelay.close();
    }
    if (staffedHours != null) {
      staffedHours.close();
    }
    Future<Void> closed = Future.all(servers.stream().map(HttpServer::close).toList()).mapEmpty();
    return closed.compose(v -> vertx.executeBlocking(() -> {
      KnowledgeBase kb = knowledgeBase.getAndSet(null);
      if (kb != null) {
        kb.close();
      }
      if (recognizer != null) {
        recognizer.close();
      }
      Database db = database.getAndSet(null);
      if (db != null) {
        db.close();
      }
      return null;
    }));
  }
}
