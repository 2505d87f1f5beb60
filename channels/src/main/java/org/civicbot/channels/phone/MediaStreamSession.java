package org.civicbot.channels.phone;

import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.civicbot.bot.BotReply;
import org.civicbot.bot.InboundMessage;
import org.civicbot.bot.Outcome;
import org.civicbot.bot.handoff.CallbackRequest;
import org.civicbot.channels.phone.audio.MuLaw;
import org.civicbot.channels.phone.audio.Resampler;
import org.civicbot.channels.phone.speech.SpeechRecognizer;
import org.civicbot.channels.phone.speech.SpeechSynthesizer;
import org.civicbot.knowledge.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One call's Media Stream: Twilio's JSON messages in ({@code connected}, {@code start}, {@code media}, {@code mark},
 * {@code dtmf}, {@code stop}); the caller's 8 kHz mu-law audio decoded, resampled and recognized on a worker thread;
 * each utterance handed to the engine; the reply spoken back as paced {@code media} frames followed by a
 * {@code mark}. The caller may interrupt (barge-in: the bot sends {@code clear} and listens), ask to hear it again,
 * have the answer sent by text message, or press 0 for a person at any time.
 *
 * <p>All state lives on the WebSocket's event-loop context; blocking work runs on the phone line's worker pools and
 * reports back to that context: synthesis on the speech workers, and every use of the call's recognizer (open, feed,
 * finish, close) one at a time and in order, so a native recognizer is never used from two threads or after it was
 * closed. Silence is measured in audio time (the frames received), so
 * the line behaves the same however the machine is loaded.
 */
final class MediaStreamSession {
  private static final Logger LOG = LoggerFactory.getLogger(MediaStreamSession.class);
  static final String CHANNEL = "phone";
  private static final int RATE = 8_000;
  private static final int FRAME_BYTES = 160;
  private static final int FRAME_MILLIS = 20;
  /** How far ahead of real time reply audio is sent, so the caller hears no gaps. */
  private static final int LEAD_MILLIS = 100;
  /** Recognize in batches of at least this much audio. */
  private static final int RECOGNITION_BATCH_MILLIS = 60;
  static final int MAX_PENDING_SECONDS = 10;
  private static final int MAX_PAYLOAD_BYTES = 16_000;

  private enum Phase { AWAITING_START, STARTING, ACTIVE, TRANSFERRING, ENDED }

  /** The yes/no question the caller was last asked. */
  private enum Awaiting { NOTHING, SMS_OFFER, CALLBACK_OFFER }

  private final PhoneLine line;
  private final ServerWebSocket ws;
  private final Context context;

  private Phase phase = Phase.AWAITING_START;
  private String streamSid;
  private String callSid;
  private String tenant;
  private Optional<String> caller = Optional.empty();
  private UUID conversation;
  private Language lang;
  private SpeechRecognizer.Recognition recognition;
  /** Every use of the call's recognizers, one at a time and in order (see {@link SerialWork}). */
  private final SerialWork recognizerWork;
  private Resampler upsampler;

  /** The caller's audio waiting for the recognizer: at most {@value #MAX_PENDING_SECONDS} s. */
  private final ShortBuffer pending;
  private long droppedSamples;
  private boolean recognizing;
  private long audioMillis;
  private long lastSpeechMillis;
  private long utteranceStartMillis = -1;
  private long listeningSinceMillis;
  private int silencePrompts;

  private Playback playback;
  private int replies;
  private boolean busy;
  private Awaiting awaiting = Awaiting.NOTHING;
  private String lastSpoken = "";
  private BotReply.Message lastAnswer;

  MediaStreamSession(PhoneLine line, ServerWebSocket ws) {
    this.line = line;
    this.ws = ws;
    this.context = line.vertx.getOrCreateContext();
    this.recognizerWork = new SerialWork(line.recognitionPool, context);
    this.pending = new ShortBuffer(MAX_PENDING_SECONDS * line.recognizer.sampleRate());
  }

  // ---- Twilio's messages -------------------------------------------------------------------------------------

  void onText(String text) {
    if (phase == Phase.ENDED) {
      return;
    }
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      protocolError(1007, "malformed JSON");
      return;
    }
    String event = message.getString("event", "");
    switch (event) {
      case "connected" -> { }
      case "start" -> onStart(message);
      case "media" -> onMedia(message);
      case "mark" -> onMark(message);
      case "dtmf" -> onDtmf(message);
      case "stop" -> end("caller hung up");
      default -> LOG.debug("Ignoring media stream event '{}'", event);
    }
  }

  private void onStart(JsonObject message) {
    if (phase != Phase.AWAITING_START) {
      protocolError(1008, "a second start");
      return;
    }
    JsonObject start = message.getJsonObject("start");
    JsonObject custom = start == null ? null : start.getJsonObject("customParameters", new JsonObject());
    streamSid = message.getString("streamSid", start == null ? null : start.getString("streamSid"));
    callSid = start == null ? null : start.getString("callSid");
    tenant = custom == null ? null : custom.getString("tenant");
    if (streamSid == null || callSid == null || tenant == null || !line.tenantAvailable(tenant)) {
      protocolError(1008, "start without streamSid, callSid or a known tenant");
      return;
    }
    // the tenant and the caller's number come only from the signed voice webhook, through its token
    String claimedCaller = custom.getString("caller", "");
    Optional<String> refusal = line.tokens.refusal(custom.getString("token"), callSid, tenant, claimedCaller,
        line.clock.instant());
    if (refusal.isEmpty() && !line.useToken(custom.getString("token"))) {
      refusal = Optional.of("a stream token used before");
    }
    if (refusal.isPresent()) {
      LOG.warn("Refused media stream {} for call {}: {}", streamSid, callSid, refusal.get());
      callSid = null;
      protocolError(1008, "stream not authorized: " + refusal.get());
      return;
    }
    caller = claimedCaller.isEmpty() ? Optional.empty() : Optional.of(claimedCaller);
    phase = Phase.STARTING;
    Optional<Language> startLanguage = line.startLanguage();
    lang = startLanguage.orElse(line.settings.defaultLanguage());
    LOG.info("Call {} stream {} started in {}", callSid, streamSid, lang.code());
    line.conversations.findByExternalId(tenant, CHANNEL, callSid)
        .compose(existing -> {
          if (existing.isPresent() && existing.get().endedAt().isEmpty()) {
            // the stream reconnected: continue the call's conversation
            conversation = existing.get().id();
            return Future.succeededFuture(line.texts.get(lang, "anythingElse"));
          }
          return line.engine.start(tenant, CHANNEL, Optional.of(callSid), Optional.of(lang)).map(started -> {
            conversation = started.conversation().id();
            return spokenOf(started.greeting());
          });
        })
        .onSuccess(greeting -> {
          if (phase != Phase.STARTING) {
            return;
          }
          phase = Phase.ACTIVE;
          if (startLanguage.isEmpty()) {
            LOG.warn("Call {}: no language can be understood; putting the caller through", callSid);
            speak(greeting, lang, false, this::transfer);
            return;
          }
          openRecognition();
          Language preferred = line.settings.defaultLanguage();
          Language other = lang == Language.DA ? Language.EN : Language.DA;
          String choice = line.understands(other) ? " " + line.texts.get(lang, "languageChoice") : "";
          if (lang != preferred && line.synthesizer.speaks(preferred)) {
            // the line's usual language cannot be understood: say so in it, then greet in the one that can
            speak(line.texts.get(preferred, "onlyLanguage"), preferred, true,
                () -> speak(greeting + choice, lang, true, null));
          } else {
            speak(greeting + choice, lang, true, null);
          }
        })
        .onFailure(e -> {
          LOG.warn("Call {} could not start its conversation", callSid, e);
          protocolError(1011, "could not start the conversation");
        });
  }

  private void onMedia(JsonObject message) {
    if (phase == Phase.AWAITING_START) {
      protocolError(1008, "media before start");
      return;
    }
    JsonObject media = message.getJsonObject("media");
    String payload = media == null ? null : media.getString("payload");
    if (payload == null || payload.length() > MAX_PAYLOAD_BYTES * 4 / 3 + 4) {
      protocolError(1008, "media without a usable payload");
      return;
    }
    String track = media.getString("track", "inbound");
    if (!track.startsWith("inbound")) {
      return;
    }
    byte[] ulaw;
    try {
      ulaw = Base64.getDecoder().decode(payload);
    } catch (IllegalArgumentException e) {
      protocolError(1007, "media payload is not base64");
      return;
    }
    audioMillis += ulaw.length * 1000L / RATE;
    if (phase != Phase.ACTIVE || recognition == null) {
      return;
    }
    int dropped = pending.append(upsampler.process(MuLaw.decode(ulaw)));
    if (dropped > 0) {
      if (droppedSamples == 0) {
        LOG.warn("Call {}: the recognizer is more than {} s behind; dropping the oldest audio", callSid,
            MAX_PENDING_SECONDS);
      }
      droppedSamples += dropped;
    }
    recognizeIfDue();
  }

  private void onMark(JsonObject message) {
    JsonObject mark = message.getJsonObject("mark");
    String name = mark == null ? null : mark.getString("name");
    if (playback != null && playback.mark.equals(name)) {
      Playback done = playback;
      playback = null;
      listeningSinceMillis = audioMillis;
      if (done.after != null && phase != Phase.ENDED) {
        done.after.run();
      }
    }
  }

  private void onDtmf(JsonObject message) {
    JsonObject dtmf = message.getJsonObject("dtmf");
    String digit = dtmf == null ? "" : dtmf.getString("digit", "");
    if (phase != Phase.ACTIVE) {
      return;
    }
    switch (digit) {
      case "0" -> {
        interrupt();
        busy = true;
        line.engine.requestHandoff(conversation, "pressed 0")
            .onComplete(r -> busy = false)
            .onSuccess(this::onReply)
            .onFailure(e -> transfer());
      }
      case "1" -> switchLanguage(Language.DA);
      case "2" -> switchLanguage(Language.EN);
      default -> LOG.debug("Call {} pressed {}", callSid, digit);
    }
  }

  // ---- listening ------------------------------------------------------------------------------------------------

  private void openRecognition() {
    SpeechRecognizer.Recognition previous = recognition;
    recognition = null;
    pending.clear();
    upsampler = new Resampler(RATE, line.recognizer.sampleRate());
    Language language = lang;
    recognizerWork.submit(() -> {
      if (previous != null) {
        previous.close();
      }
      return line.recognizer.open(tenant, language);
    }).onSuccess(opened -> {
      if (phase == Phase.ENDED) {
        recognizerWork.execute(opened::close);
        return;
      }
      recognition = opened;
      listeningSinceMillis = audioMillis;
    }).onFailure(e -> {
      LOG.warn("Call {}: no recognizer for {}", callSid, language.code(), e);
      if (phase == Phase.ACTIVE) {
        cannotListen();
      }
    });
  }

  private void recognizeIfDue() {
    if (recognizing || recognition == null
        || pending.size() < line.recognizer.sampleRate() * RECOGNITION_BATCH_MILLIS / 1000) {
      return;
    }
    short[] samples = pending.take();
    long at = audioMillis;
    SpeechRecognizer.Recognition current = recognition;
    recognizing = true;
    recognizerWork.submit(() -> current.accept(samples))
        .onComplete(r -> recognizing = false)
        .onSuccess(hypothesis -> {
          if (current == recognition) {
            onHypothesis(hypothesis, at);
          }
          recognizeIfDue();
        })
        .onFailure(e -> LOG.warn("Call {}: recognition failed", callSid, e));
  }

  private void onHypothesis(SpeechRecognizer.Hypothesis hypothesis, long at) {
    if (phase != Phase.ACTIVE) {
      return;
    }
    if (hypothesis.heardWords()) {
      lastSpeechMillis = at;
      silencePrompts = 0;
      if (utteranceStartMillis < 0) {
        utteranceStartMillis = at;
      }
      if (playback != null && playback.interruptible) {
        bargeIn();
      }
    }
    if (hypothesis.endpoint()) {
      // what a caller said is personal data: not even debug logs hold its words
      LOG.debug("Call {}: end of utterance at {} ms ({} characters)", callSid, at, hypothesis.text().length());
      utteranceStartMillis = -1;
      if (hypothesis.heardWords()) {
        onUtterance(hypothesis);
      }
      return;
    }
    if (utteranceStartMillis >= 0 && at - utteranceStartMillis > line.settings.maxUtteranceSeconds() * 1000L) {
      finishUtterance();
      return;
    }
    if (playback == null && !busy && utteranceStartMillis < 0
        && at - Math.max(lastSpeechMillis, listeningSinceMillis) >= line.settings.silenceSeconds() * 1000L) {
      onSilence();
    }
  }

  private void finishUtterance() {
    SpeechRecognizer.Recognition current = recognition;
    utteranceStartMillis = -1;
    recognizing = true;
    recognizerWork.submit(current::finish)
        .onComplete(r -> recognizing = false)
        .onSuccess(h -> {
          if (current == recognition && phase == Phase.ACTIVE) {
            onUtterance(h);
          }
          recognizeIfDue();
        });
  }

  private void onSilence() {
    silencePrompts++;
    listeningSinceMillis = audioMillis;
    if (silencePrompts == 1) {
      speak(line.texts.get(lang, "stillThere"), true, null);
    } else {
      speak(line.texts.get(lang, "goodbyeSilence"), false, () -> hangUp("silence"));
    }
  }

  // ---- the dialogue ---------------------------------------------------------------------------------------------

  private void onUtterance(SpeechRecognizer.Hypothesis heard) {
    String text = heard.text().strip();
    LOG.debug("Call {} heard {} characters ({})", callSid, text.length(), heard.confidence());
    if (busy) {
      return;
    }
    if (text.isEmpty()) {
      ask(Awaiting.NOTHING);
      speak(line.texts.get(lang, "notUnderstood"), true, null);
      return;
    }
    PhoneTexts texts = line.texts;
    if (texts.is("repeatWords", text) && !lastSpoken.isEmpty()) {
      speak(lastSpoken, true, null);
      return;
    }
    Optional<Language> named = texts.namedLanguage(text);
    if (named.isPresent() && named.get() != lang && line.understands(named.get())) {
      switchLanguage(named.get());
      return;
    }
    Optional<Boolean> answer = awaiting == Awaiting.NOTHING ? Optional.empty() : texts.yesOrNo(text);
    if (answer.isPresent()) {
      Awaiting question = awaiting;
      boolean yes = answer.get();
      ask(Awaiting.NOTHING);
      if (question == Awaiting.SMS_OFFER) {
        if (yes) {
          sendAnswerBySms();
        } else {
          speak(texts.get(lang, "anythingElse"), true, null);
        }
      } else if (yes) {
        recordCallback();
      } else {
        speak(texts.get(lang, "callbackDeclined"), true, null);
      }
      return;
    }
    ask(Awaiting.NOTHING);
    busy = true;
    line.engine.handle(new InboundMessage(tenant, conversation, CHANNEL, text, Optional.of(lang),
            Map.of("recognizer", "vosk", "confidence", String.format(java.util.Locale.ROOT, "%.2f",
                heard.confidence()))))
        .onComplete(r -> busy = false)
        .onSuccess(this::onReply)
        .onFailure(e -> {
          LOG.warn("Call {}: the engine failed", callSid, e);
          speak(texts.get(lang, "notUnderstood"), true, null);
        });
  }

  /** Notes the yes/no question the caller is asked (or none), and has the recognizer listen for short answers. */
  private void ask(Awaiting question) {
    awaiting = question;
    SpeechRecognizer.Recognition current = recognition;
    if (current != null) {
      recognizerWork.execute(() -> current.expectShortAnswer(question != Awaiting.NOTHING));
    }
  }

  private void onReply(BotReply reply) {
    if (phase != Phase.ACTIVE) {
      return;
    }
    String spoken = spokenOf(reply);
    switch (reply.outcome()) {
      case HANDOFF -> handOff(spoken);
      case ANSWERED -> {
        lastAnswer = reply.replies().get(0);
        boolean sms = caller.isPresent() && line.calls.isPresent() && !lastAnswer.sources().isEmpty();
        ask(sms ? Awaiting.SMS_OFFER : Awaiting.NOTHING);
        speak(spoken + " " + line.texts.get(lang, sms ? "afterAnswerSms" : "afterAnswer"), true, null);
      }
      default -> speak(spoken, !reply.ended(), reply.ended() ? () -> hangUp("goodbye") : null);
    }
  }

  private static String spokenOf(BotReply reply) {
    return reply.replies().stream().map(BotReply.Message::spoken).collect(Collectors.joining(" "));
  }

  private void switchLanguage(Language target) {
    if (target == lang || !line.understands(target)) {
      return;
    }
    interrupt();
    ask(Awaiting.NOTHING);
    lang = target;
    openRecognition();
    speak(line.texts.get(lang, "anythingElse"), true, null);
  }

  private void sendAnswerBySms() {
    BotReply.Message answer = lastAnswer;
    String body = SmsText.of(line.texts.get(lang, "smsIntro"), answer.text(), answer.sources().get(0).url());
    line.calls.orElseThrow().sendSms(caller.orElseThrow(), body)
        .onSuccess(v -> speak(line.texts.get(lang, "smsSent"), true, null))
        .onFailure(e -> {
          LOG.warn("Call {}: text message failed: {}", callSid, e.getMessage());
          speak(line.texts.get(lang, "smsFailed"), true, null);
        });
  }

  /**
   * The engine handed the call off: announce it and put the caller through when someone can take the call (a queue
   * number, Twilio's REST API, within opening hours); otherwise offer a callback.
   */
  private void handOff(String announcement) {
    boolean staffed = line.settings.transferNumber().isPresent() && line.calls.isPresent()
        && line.settings.openingHours().isOpen(line.clock.instant());
    if (staffed) {
      speak(announcement, false, this::transfer);
    } else {
      LOG.info("Call {}: no one can take the call now; offering a callback", callSid);
      offerCallback();
    }
  }

  /**
   * The call's recognizer could not be opened, so nothing the caller says can be heard: apologize and put the caller
   * through when someone can take the call; otherwise say when to call again and hang up. Never dead air.
   */
  private void cannotListen() {
    boolean staffed = line.settings.transferNumber().isPresent() && line.calls.isPresent()
        && line.settings.openingHours().isOpen(line.clock.instant());
    String sorry = line.texts.get(lang, "cannotListen");
    if (staffed) {
      speak(sorry, lang, false, this::transfer);
    } else {
      speak(sorry + " " + line.texts.get(lang, "transferUnavailable"), lang, false, () -> hangUp("no recognizer"));
    }
  }

  /** Asks whether to call back on the caller's number; with no usable number, says when to call again. */
  private void offerCallback() {
    if (caller.filter(CallbackRequest::isPhoneNumber).isPresent()) {
      ask(Awaiting.CALLBACK_OFFER);
      speak(line.texts.get(lang, "callbackOffer"), true, null);
    } else {
      speak(line.texts.get(lang, "transferUnavailable"), true, null);
    }
  }

  private void recordCallback() {
    String number = caller.orElseThrow();
    busy = true;
    line.callbacks.request(tenant, conversation, number, lang)
        .compose(request -> line.engine.recordCallback(conversation, request.id()))
        .onComplete(r -> busy = false)
        .onSuccess(v -> {
          LOG.info("Call {}: callback requested", callSid);
          // the last two digits, spoken one by one, so the caller can tell the right number was taken
          String digits = number.substring(number.length() - 2);
          speak(line.texts.get(lang, "callbackRecorded").replace("{lastDigits}",
              digits.charAt(0) + " " + digits.charAt(1)), true, null);
        })
        .onFailure(e -> {
          LOG.warn("Call {}: the callback request could not be stored", callSid, e);
          speak(line.texts.get(lang, "transferUnavailable"), true, null);
        });
  }

  /** Puts the caller through to the human queue by updating the live call; if that fails, offers a callback. */
  private void transfer() {
    Optional<String> number = line.settings.transferNumber();
    if (number.isEmpty() || line.calls.isEmpty()) {
      offerCallback();
      return;
    }
    phase = Phase.TRANSFERRING;
    String twiml = new VoiceResponse.Builder().dial(new Dial.Builder(number.get()).build()).build().toXml();
    line.calls.get().updateCall(callSid, twiml)
        .onSuccess(v -> LOG.info("Call {} transferred to the human queue", callSid))
        .onFailure(e -> {
          LOG.warn("Call {} could not be transferred: {}", callSid, e.getMessage());
          phase = Phase.ACTIVE;
          offerCallback();
        });
  }

  private void hangUp(String reason) {
    if (line.calls.isPresent()) {
      line.calls.get().updateCall(callSid, new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build()
          .toXml()).onFailure(e -> LOG.warn("Call {} could not be hung up: {}", callSid, e.getMessage()));
    }
    end(reason);
    ws.close((short) 1000, reason);
  }

  // ---- speaking -------------------------------------------------------------------------------------------------

  /**
   * Speaks {@code text}: synthesized on a worker as a stream, resampled to 8 kHz, mu-law encoded, and sent as 20 ms
   * frames paced to real time (with a small lead), then a mark. {@code after} runs when Twilio reports the mark
   * played; an interruptible playback is dropped, {@code after} and all, when the caller speaks over it.
   */
  private void speak(String text, boolean interruptible, Runnable after) {
    speak(text, lang, interruptible, after);
  }

  private void speak(String text, Language language, boolean interruptible, Runnable after) {
    interrupt();
    lastSpoken = text;
    Playback p = new Playback("reply-" + (++replies), interruptible, after);
    playback = p;
    line.speechWorkers.executeBlocking(() -> {
      try (SpeechSynthesizer.Speech speech = line.synthesizer.speak(text, language)) {
        Resampler down = new Resampler(speech.sampleRate(), RATE);
        short[] chunk;
        while (!p.cancelled && (chunk = speech.read()) != null) {
          byte[] ulaw = MuLaw.encode(down.process(chunk));
          context.runOnContext(v -> p.enqueue(ulaw));
        }
        byte[] tail = MuLaw.encode(down.flush());
        context.runOnContext(v -> {
          p.enqueue(tail);
          p.inputDone = true;
        });
      }
      return null;
    }, false).onFailure(e -> {
      LOG.warn("Call {}: speech synthesis failed", callSid, e);
      p.inputDone = true;
    });
    p.timer = line.vertx.setPeriodic(FRAME_MILLIS, id -> pump(p));
  }

  private void pump(Playback p) {
    if (p != playback || phase == Phase.ENDED) {
      line.vertx.cancelTimer(p.timer);
      return;
    }
    long now = System.nanoTime();
    if (p.startNanos == 0 && p.available() >= FRAME_BYTES) {
      p.startNanos = now;
    }
    if (p.startNanos != 0) {
      long due = ((now - p.startNanos) / 1_000_000 + LEAD_MILLIS) / FRAME_MILLIS + 1;
      while (p.framesSent < due && (p.available() >= FRAME_BYTES || (p.inputDone && p.available() > 0))) {
        send(new JsonObject().put("event", "media").put("streamSid", streamSid)
            .put("media", new JsonObject().put("payload", Base64.getEncoder().encodeToString(p.nextFrame()))));
        p.framesSent++;
      }
    }
    if (p.inputDone && p.available() == 0) {
      line.vertx.cancelTimer(p.timer);
      send(new JsonObject().put("event", "mark").put("streamSid", streamSid)
          .put("mark", new JsonObject().put("name", p.mark)));
    }
  }

  /** The caller speaks over the bot: stop sending, tell Twilio to drop what it buffered, and listen. */
  private void bargeIn() {
    LOG.debug("Call {}: barge-in", callSid);
    interrupt();
    send(new JsonObject().put("event", "clear").put("streamSid", streamSid));
  }

  private void interrupt() {
    if (playback != null) {
      playback.cancelled = true;
      line.vertx.cancelTimer(playback.timer);
      playback = null;
    }
  }

  private void send(JsonObject message) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(message.encode());
    }
  }

  // ---- the end --------------------------------------------------------------------------------------------------

  /** Closes the stream after a protocol error; the call's other sessions and the stored conversation are unaffected. */
  void protocolError(int code, String reason) {
    LOG.warn("Media stream {} of call {} closed: {}", streamSid, callSid, reason);
    end("stream error: " + reason);
    if (!ws.isClosed()) {
      ws.close((short) code, reason);
    }
  }

  /** The WebSocket closed (a stop, a hang-up, a network failure). */
  void closed() {
    LOG.debug("Call {}: stream closed by Twilio ({} {})", callSid, ws.closeStatusCode(), ws.closeReason());
    end(phase == Phase.TRANSFERRING ? "transferred" : "stream closed");
  }

  private void end(String reason) {
    if (phase == Phase.ENDED) {
      return;
    }
    boolean transferred = phase == Phase.TRANSFERRING;
    phase = Phase.ENDED;
    interrupt();
    SpeechRecognizer.Recognition current = recognition;
    recognition = null;
    if (current != null) {
      // after any decode still running or queued: never closed in the middle of one
      recognizerWork.execute(current::close);
    }
    if (conversation != null) {
      line.engine.end(conversation, transferred ? "transferred" : reason)
          .onFailure(e -> LOG.warn("Call {}: could not end its conversation", callSid, e));
    }
    LOG.info("Call {} stream ended: {}", callSid, transferred ? "transferred" : reason);
  }

  /** One reply being played: its frames, pacing and the mark that ends it. */
  private static final class Playback {
    final String mark;
    final boolean interruptible;
    final Runnable after;
    final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    int offset;
    int bytes;
    long timer;
    long startNanos;
    long framesSent;
    volatile boolean cancelled;
    boolean inputDone;

    Playback(String mark, boolean interruptible, Runnable after) {
      this.mark = mark;
      this.interruptible = interruptible;
      this.after = after;
    }

    void enqueue(byte[] ulaw) {
      if (ulaw.length > 0) {
        chunks.add(ulaw);
        bytes += ulaw.length;
      }
    }

    int available() {
      return bytes;
    }

    /** The next 160 bytes (20 ms), padded with mu-law silence at the very end. */
    byte[] nextFrame() {
      byte[] frame = new byte[FRAME_BYTES];
      java.util.Arrays.fill(frame, (byte) 0xFF);
      int filled = 0;
      while (filled < FRAME_BYTES && !chunks.isEmpty()) {
        byte[] head = chunks.peek();
        int n = Math.min(FRAME_BYTES - filled, head.length - offset);
        System.arraycopy(head, offset, frame, filled, n);
        filled += n;
        offset += n;
        if (offset == head.length) {
          chunks.poll();
          offset = 0;
        }
      }
      bytes -= filled;
      return frame;
    }
  }

  /**
   * A buffer of samples that grows up to {@code capacity}; beyond it the oldest samples are dropped, so a recognizer
   * that falls behind costs audio, never unbounded memory.
   */
  static final class ShortBuffer {
    private final int capacity;
    private short[] data = new short[4_096];
    private int size;

    ShortBuffer(int capacity) {
      this.capacity = capacity;
    }

    /** Appends {@code samples}; returns how many of the oldest samples were dropped to stay within the capacity. */
    int append(short[] samples) {
      int dropped = 0;
      if (samples.length >= capacity) {
        dropped = size + samples.length - capacity;
        samples = java.util.Arrays.copyOfRange(samples, samples.length - capacity, samples.length);
        size = 0;
      } else if (size + samples.length > capacity) {
        dropped = size + samples.length - capacity;
        System.arraycopy(data, dropped, data, 0, size - dropped);
        size -= dropped;
      }
      if (size + samples.length > data.length) {
        data = java.util.Arrays.copyOf(data, Math.min(capacity, Math.max(data.length * 2, size + samples.length)));
      }
      System.arraycopy(samples, 0, data, size, samples.length);
      size += samples.length;
      return dropped;
    }

    int size() {
      return size;
    }

    short[] take() {
      short[] out = java.util.Arrays.copyOf(data, size);
      size = 0;
      return out;
    }

    void clear() {
      size = 0;
    }
  }
}
