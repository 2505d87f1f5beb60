package org.civicbot.channels.phone;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.civicbot.bot.BotReply;
import org.civicbot.bot.ChannelAbilities;
import org.civicbot.bot.InboundMessage;
import org.civicbot.bot.Signal;
import org.civicbot.bot.handoff.CallbackRequest;
import org.civicbot.bot.privacy.Visitors;
import org.civicbot.channels.phone.speech.SpeechRecognizer;
import org.civicbot.knowledge.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One authorized call between the caller and the engine. The engine decides every step of the dialogue (answers,
 * offers, yes and no, repeat, language, silence, transfer or callback) from the caller's words and the call's
 * {@linkplain Signal signals}, and stores each in the conversation's log; this class only turns the engine's replies
 * into speech and {@linkplain org.civicbot.bot.ChannelAction actions} (a text message, a transfer, a callback
 * request, a hang-up), and reports back how they went. Listening is {@link CallAudio}, speaking {@link SpeechPlayback},
 * Twilio's REST API {@link CallControl}. Runs on the call's event-loop context.
 */
final class PhoneCall implements CallAudio.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(PhoneCall.class);
  static final String CHANNEL = "phone";

  private enum Phase { STARTING, ACTIVE, TRANSFERRING, ENDED }

  private final PhoneLine line;
  private final String tenant;
  private final String callSid;
  private final Optional<String> caller;
  private final CallAudio audio;
  private final SpeechPlayback playback;
  private final CallControl control;
  /** Ends the call's stream after a hang-up (with the reason). */
  private final Consumer<String> hangUpStream;

  private Phase phase = Phase.STARTING;
  private UUID conversation;
  private Language lang;
  /** A turn is with the engine: further utterances wait for its reply (they are dropped). */
  private boolean busy;

  PhoneCall(PhoneLine line, Context context, String tenant, String callSid, Optional<String> caller,
            Consumer<JsonObject> send, Consumer<String> hangUpStream) {
    this.line = line;
    this.tenant = tenant;
    this.callSid = callSid;
    this.caller = caller;
    this.hangUpStream = hangUpStream;
    this.audio = new CallAudio(line, context, callSid, this);
    this.playback = new SpeechPlayback(line, context, callSid, send);
    this.control = new CallControl(line.calls, line.settings.transferNumber(), callSid);
  }

  /** Starts or (after the stream reconnected) continues the call's conversation, and greets the caller. */
  Future<Void> begin() {
    Optional<Language> startLanguage = line.startLanguage();
    lang = startLanguage.orElse(line.settings.defaultLanguage());
    LOG.info("Call {} started in {}", callSid, lang.code());
    return line.conversations.findByExternalId(tenant, CHANNEL, callSid)
        .compose(existing -> {
          if (existing.isPresent() && existing.get().endedAt().isEmpty()) {
            conversation = existing.get().id();
            lang = existing.get().lang();
            return Future.succeededFuture(line.texts.get(lang, "anythingElse"));
          }
          return line.engine.start(tenant, CHANNEL, Optional.of(callSid), Optional.of(lang))
              .compose(started -> recognizable(started.conversation().id()).map(started))
              .map(started -> {
                conversation = started.conversation().id();
                return started.greeting().spoken();
              });
        })
        .map(greeting -> {
          if (phase != Phase.STARTING) {
            return null;
          }
          phase = Phase.ACTIVE;
          if (startLanguage.isEmpty()) {
            LOG.warn("Call {}: no language can be understood", callSid);
            playback.speak(greeting, lang, false, () -> signal(Signal.CANNOT_LISTEN));
            return null;
          }
          audio.open(tenant, lang);
          Language preferred = line.settings.defaultLanguage();
          Language other = lang == Language.DA ? Language.EN : Language.DA;
          String choice = line.understands(other) ? " " + line.texts.get(lang, "languageChoice") : "";
          if (lang != preferred && line.synthesizer.speaks(preferred)) {
            // the line's usual language cannot be understood: say so in it, then greet in the one that can
            playback.speak(line.texts.get(preferred, "onlyLanguage"), preferred, true,
                () -> playback.speak(greeting + choice, lang, true, null));
          } else {
            playback.speak(greeting + choice, lang, true, null);
          }
          return null;
        });
  }

  /**
   * Keeps a keyed hash of the caller's number with the call, so a call back within 24 hours with the same question
   * re-judges this one's assumed resolution (DESIGN); the number itself is not stored.
   */
  private Future<Void> recognizable(UUID id) {
    Optional<String> number = caller.filter(CallbackRequest::isPhoneNumber);
    if (number.isEmpty()) {
      return Future.succeededFuture();
    }
    return line.conversations.setVisitor(id, Visitors.ofPhoneNumber(line.settings.authToken(), tenant, number.get()))
        .recover(e -> {
          LOG.warn("Call {}: could not keep the caller's hash: {}", callSid, e.getMessage());
          return Future.succeededFuture();
        });
  }

  /** What the channel can do for the caller right now (it changes with the time of day). */
  private ChannelAbilities abilities() {
    boolean rest = line.calls.isPresent();
    Set<Language> understood = Arrays.stream(Language.values()).filter(line::understands)
        .collect(Collectors.toUnmodifiableSet());
    return new ChannelAbilities(true, rest && caller.isPresent(), line.staffedNow(tenant),
        caller.filter(CallbackRequest::isPhoneNumber).isPresent(), understood);
  }

  // ---- from Twilio's stream ------------------------------------------------------------------------------------

  void heard(byte[] ulaw) {
    audio.accept(ulaw, phase == Phase.ACTIVE);
  }

  void marked(String name) {
    if (playback.marked(name)) {
      audio.listenFromNow();
    }
  }

  void pressed(String digit) {
    if (phase != Phase.ACTIVE) {
      return;
    }
    switch (digit) {
      case "0" -> {
        playback.interrupt();
        turn(line.engine.requestHandoff(conversation, "pressed 0", abilities()));
      }
      case "1" -> turn(line.engine.signal(conversation, Signal.CHOSE_DANISH, abilities()));
      case "2" -> turn(line.engine.signal(conversation, Signal.CHOSE_ENGLISH, abilities()));
      default -> LOG.debug("Call {} pressed {}", callSid, digit);
    }
  }

  // ---- from the audio ------------------------------------------------------------------------------------------

  @Override
  public void speechStarted() {
    if (phase == Phase.ACTIVE) {
      playback.bargeIn();
    }
  }

  @Override
  public void utterance(SpeechRecognizer.Hypothesis heard) {
    if (phase != Phase.ACTIVE || busy) {
      return;
    }
    String text = heard.text().strip();
    if (text.isEmpty()) {
      signal(Signal.NOT_UNDERSTOOD);
      return;
    }
    turn(line.engine.handle(new InboundMessage(tenant, conversation, CHANNEL, text, Optional.of(lang),
        Map.of("recognizer", line.recognizer.name(lang), "confidence",
            String.format(Locale.ROOT, "%.2f", heard.confidence())), abilities())));
  }

  @Override
  public void silence() {
    if (phase == Phase.ACTIVE) {
      signal(Signal.SILENCE);
    }
  }

  @Override
  public boolean waiting() {
    return phase == Phase.ACTIVE && !busy && !playback.speaking();
  }

  @Override
  public void cannotListen() {
    if (phase == Phase.ACTIVE) {
      signal(Signal.CANNOT_LISTEN);
    }
  }

  // ---- the engine's replies ------------------------------------------------------------------------------------

  private void signal(Signal signal) {
    if (phase == Phase.ACTIVE) {
      turn(line.engine.signal(conversation, signal, abilities()));
    }
  }

  /** One turn with the engine: while it runs, further utterances are dropped; its reply is then carried out. */
  private void turn(Future<BotReply> reply) {
    busy = true;
    reply.onComplete(r -> busy = false)
        .onSuccess(this::carryOut)
        .onFailure(e -> {
          LOG.warn("Call {}: the engine failed", callSid, e);
          if (phase == Phase.ACTIVE) {
            playback.speak(line.texts.get(lang, "notUnderstood"), lang, true, null);
          }
        });
  }

  private void carryOut(BotReply reply) {
    if (phase != Phase.ACTIVE) {
      return;
    }
    if (reply.lang() != lang && line.understands(reply.lang())) {
      lang = reply.lang();
      audio.open(tenant, lang);
    }
    audio.expectShortAnswer(reply.expectsShortAnswer());
    String spoken = reply.spoken();
    switch (reply.action()) {
      case SEND_TEXT_MESSAGE -> sendTextMessage(reply.replies().get(0));
      case REQUEST_CALLBACK -> requestCallback();
      case TRANSFER -> playback.speak(spoken, lang, false, this::transfer);
      case NONE -> {
        if (reply.ended()) {
          playback.speak(spoken, lang, false, () -> hangUp("goodbye"));
        } else if (!spoken.isBlank()) {
          playback.speak(spoken, lang, true, null);
        }
      }
      default -> throw new IllegalStateException("unknown action " + reply.action());
    }
  }

  private void sendTextMessage(BotReply.Message answer) {
    String url = answer.sources().isEmpty() ? "" : answer.sources().get(0).url();
    String body = SmsText.of(line.texts.get(lang, "smsIntro"), answer.text(), url);
    busy = true;
    control.sendSms(caller.orElseThrow(), body)
        .onComplete(r -> busy = false)
        .onSuccess(v -> signal(Signal.TEXT_MESSAGE_SENT))
        .onFailure(e -> {
          LOG.warn("Call {}: text message failed: {}", callSid, e.getMessage());
          signal(Signal.TEXT_MESSAGE_FAILED);
        });
  }

  private void requestCallback() {
    String number = caller.orElseThrow();
    busy = true;
    line.callbacks.request(tenant, conversation, number, lang)
        .onComplete(r -> busy = false)
        .onSuccess(request -> {
          LOG.info("Call {}: callback requested", callSid);
          turn(line.engine.recordCallback(conversation, request.id(), number.substring(number.length() - 2)));
        })
        .onFailure(e -> {
          LOG.warn("Call {}: the callback request could not be stored", callSid, e);
          signal(Signal.CALLBACK_FAILED);
        });
  }

  /** Puts the caller through to the human queue by updating the live call; if that fails, the engine says what next. */
  private void transfer() {
    phase = Phase.TRANSFERRING;
    control.transfer()
        .onSuccess(v -> LOG.info("Call {} transferred to the human queue", callSid))
        .onFailure(e -> {
          LOG.warn("Call {} could not be transferred: {}", callSid, e.getMessage());
          if (phase == Phase.TRANSFERRING) {
            phase = Phase.ACTIVE;
            signal(Signal.TRANSFER_FAILED);
          }
        });
  }

  private void hangUp(String reason) {
    control.hangUp().onFailure(e -> LOG.warn("Call {} could not be hung up: {}", callSid, e.getMessage()));
    end(reason);
    hangUpStream.accept(reason);
  }

  /** The call is over (hang-up, stop, transfer done, stream error): stop listening and speaking, end the conversation. */
  void end(String reason) {
    if (phase == Phase.ENDED) {
      return;
    }
    boolean transferred = phase == Phase.TRANSFERRING;
    phase = Phase.ENDED;
    playback.stop();
    audio.close();
    if (audio.droppedSamples() > 0) {
      LOG.warn("Call {}: {} s of the caller's audio were dropped (the recognizer fell behind)", callSid,
          audio.droppedSamples() / line.recognizer.sampleRate());
    }
    if (conversation != null) {
      line.engine.end(conversation, transferred ? "transferred" : reason)
          .onFailure(e -> LOG.warn("Call {}: could not end its conversation", callSid, e));
    }
    LOG.info("Call {} ended: {}", callSid, transferred ? "transferred" : reason);
  }

  boolean transferring() {
    return phase == Phase.TRANSFERRING;
  }
}
