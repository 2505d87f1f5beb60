package org.civicbot.channels.phone;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.channels.phone.speech.SpeechRecognizer;
import org.civicbot.channels.phone.speech.SpeechSynthesizer;
import org.civicbot.knowledge.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  final SpeechRecognizer recognizer;
  final SpeechSynthesizer synthesizer;
  final Optional<TwilioCalls> calls;
  final PhoneSettings settings;
  final PhoneTexts texts;
  final WorkerExecutor speechWorkers;
  private final Predicate<String> tenantAvailable;
  private final Set<MediaStreamSession> sessions = ConcurrentHashMap.newKeySet();

  public PhoneLine(Vertx vertx, BotEngine engine, ConversationStore conversations, SpeechRecognizer recognizer,
                   SpeechSynthesizer synthesizer, Optional<TwilioCalls> calls, PhoneSettings settings,
                   PhoneTexts texts, Predicate<String> tenantAvailable) {
    this.vertx = vertx;
    this.engine = engine;
    this.conversations = conversations;
    this.recognizer = recognizer;
    this.synthesizer = synthesizer;
    this.calls = calls;
    this.settings = settings;
    this.texts = texts;
    this.tenantAvailable = tenantAvailable;
    this.speechWorkers = vertx.createSharedWorkerExecutor("civicbot-speech",
        Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
    if (recognizer.languages().isEmpty()) {
      LOG.warn("The phone line has no speech model: calls will be told so and put through to a person");
    }
  }

  /** Mounts the media stream WebSocket; call before any body handler, which would consume the upgrade request. */
  public void mountWebSocket(Router router) {
    router.get("/twilio/media").handler(this::upgrade);
  }

  /** Mounts the webhooks; expects the body handler before them. */
  public void mountWebhooks(Router router) {
    new TwilioWebhooks(settings, engine, conversations, tenantAvailable).mount(router);
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
    ws.exceptionHandler(e -> LOG.debug("Media stream error", e));
  }
}
