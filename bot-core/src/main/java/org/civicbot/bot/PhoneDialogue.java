package org.civicbot.bot;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.bot.conversation.ConversationState;
import org.civicbot.knowledge.Language;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dialogue of a call, beyond what a chat has: after an answer the caller is offered it by text message and told
 * they can say "repeat"; a request for a person puts the call through when someone takes calls, else offers a
 * callback; a language's name switches language; silence is prompted, then the call ends. Its state (what was offered,
 * what was said last) comes from the conversation's log like the rest of the engine's, so a restart loses nothing.
 * Only for channels that speak ({@link ChannelAbilities#voice()}).
 */
final class PhoneDialogue {
  static final String OFFER_SMS = "sms";
  static final String OFFER_CALLBACK = "callback";

  private final PhoneTexts texts;

  PhoneDialogue(PhoneTexts texts) {
    this.texts = texts;
  }

  PhoneTexts texts() {
    return texts;
  }

  /**
   * The caller's words as the phone's own moves: "repeat", a language's name, a yes or no to what the last reply
   * offered. Empty when they are none of these (a question, for the policy). Requests for a person and emergencies
   * come before this, so they are heard even right after an offer.
   */
  Optional<Decision> before(ConversationState state, String text, Language lang, ChannelAbilities abilities,
                            JsonObject trace) {
    if (texts.is("repeatWords", text) && !state.lastReplies().isEmpty()) {
      return Optional.of(repeat(state, trace));
    }
    Optional<Language> named = texts.namedLanguage(text);
    if (named.isPresent() && named.get() != state.lang() && abilities.languages().contains(named.get())) {
      trace.put("reason", "language named").put("switchTo", named.get().code());
      return Optional.of(say(named.get(), "anythingElse", trace));
    }
    Optional<Boolean> answer = state.offer().isEmpty() ? Optional.empty() : texts.yesOrNo(text);
    if (answer.isEmpty()) {
      return Optional.empty();
    }
    boolean yes = answer.get();
    trace.put("offer", state.offer().get()).put("accepted", yes);
    if (state.offer().get().equals(OFFER_SMS)) {
      if (!yes || state.lastReplies().isEmpty() || !abilities.textMessage()) {
        return Optional.of(say(lang, "anythingElse", trace.put("reason", "text message declined")));
      }
      Decision d = new Decision(Outcome.SMALLTALK, lang, trace.put("reason", "text message accepted"));
      d.messages.add(message(state.lastReplies().getJsonObject(0)));
      d.action = ChannelAction.SEND_TEXT_MESSAGE;
      return Optional.of(d);
    }
    if (!yes || !abilities.callback()) {
      return Optional.of(say(lang, "callbackDeclined", trace.put("reason", "callback declined")));
    }
    Decision d = new Decision(Outcome.SMALLTALK, lang, trace.put("reason", "callback accepted"));
    d.action = ChannelAction.REQUEST_CALLBACK;
    return Optional.of(d);
  }

  /** A decision of the policy as the caller hears it: an answer with the offer after it, a handoff as a transfer. */
  void adapt(Decision d, ChannelAbilities abilities) {
    switch (d.outcome) {
      case ANSWERED -> {
        boolean sms = abilities.textMessage() && d.messages.stream().anyMatch(m -> !m.sources().isEmpty());
        appendSpoken(d, texts.get(d.lang, sms ? "afterAnswerSms" : "afterAnswer"));
        if (sms) {
          offer(d, OFFER_SMS);
        }
      }
      case HANDOFF -> handOff(d, abilities);
      case FALLBACK -> d.expectsShortAnswer = d.personOffered;
      default -> {
      }
    }
  }

  /** A channel's signal answered. */
  Decision signal(Signal signal, ConversationState state, ChannelAbilities abilities) {
    Language lang = state.lang();
    JsonObject trace = new JsonObject().put("signal", signal.wireName());
    switch (signal) {
      case SILENCE -> {
        if (state.silencePrompts() == 0) {
          Decision d = say(lang, "stillThere", trace.put("reason", "silence"));
          d.aside = true;
          return d;
        }
        Decision d = say(lang, "goodbyeSilence", trace.put("reason", "silence again"));
        d.endReason = "silence";
        return d;
      }
      case NOT_UNDERSTOOD -> {
        Decision d = say(lang, "notUnderstood", trace.put("reason", "not understood"));
        d.aside = true;
        // a yes or no to the pending offer is still welcome
        state.offer().ifPresent(o -> offer(d, o));
        return d;
      }
      case CHOSE_DANISH, CHOSE_ENGLISH -> {
        Language chosen = signal.chosenLanguage().orElseThrow();
        if (chosen == lang || !abilities.languages().contains(chosen)) {
          // nothing to say: the language cannot be understood, or is the one spoken
          return new Decision(Outcome.SMALLTALK, lang, trace.put("reason", "language unchanged"));
        }
        return say(chosen, "anythingElse", trace.put("reason", "language chosen").put("switchTo", chosen.code()));
      }
      case TEXT_MESSAGE_SENT -> {
        return say(lang, "smsSent", trace.put("reason", "text message sent"));
      }
      case TEXT_MESSAGE_FAILED -> {
        return say(lang, "smsFailed", trace.put("reason", "text message failed"));
      }
      case TRANSFER_FAILED -> {
        Decision d = new Decision(Outcome.SMALLTALK, lang, trace.put("reason", "transfer failed"));
        callbackOrCallAgain(d, abilities);
        return d;
      }
      case CALLBACK_FAILED -> {
        return say(lang, "transferUnavailable", trace.put("reason", "callback failed"));
      }
      case CANNOT_LISTEN -> {
        Decision d = say(lang, "cannotListen", trace.put("reason", "cannot listen"));
        if (abilities.transfer()) {
          d.action = ChannelAction.TRANSFER;
          d.handoffReason = "cannot listen";
        } else {
          appendSpoken(d, texts.get(lang, "transferUnavailable"));
          d.endReason = "no recognizer";
        }
        return d;
      }
      default -> throw new IllegalArgumentException("unknown signal " + signal);
    }
  }

  /** The confirmation of a stored callback request, naming the last two digits of the number one by one. */
  Decision callbackRecorded(Language lang, String numberEnding) {
    String digits = numberEnding.length() < 2 ? numberEnding : numberEnding.substring(numberEnding.length() - 2);
    String spokenDigits = String.join(" ", digits.split(""));
    Decision d = new Decision(Outcome.SMALLTALK, lang, new JsonObject().put("reason", "callback recorded"));
    String text = texts.get(lang, "callbackRecorded").replace("{lastDigits}", spokenDigits);
    d.messages.add(BotReply.Message.plain(text, List.of()));
    return d;
  }

  /** A handoff: put through when someone takes calls now, else a callback offer or when to call again. */
  private void handOff(Decision d, ChannelAbilities abilities) {
    if (abilities.transfer()) {
      d.action = ChannelAction.TRANSFER;
      return;
    }
    d.trace.put("transfer", "no one takes calls now");
    d.messages.clear();
    callbackOrCallAgain(d, abilities);
  }

  private void callbackOrCallAgain(Decision d, ChannelAbilities abilities) {
    String key = abilities.callback() ? "callbackOffer" : "transferUnavailable";
    String text = texts.get(d.lang, key);
    d.messages.add(BotReply.Message.plain(text, List.of()));
    if (abilities.callback()) {
      offer(d, OFFER_CALLBACK);
    }
  }

  private Decision repeat(ConversationState state, JsonObject trace) {
    Decision d = new Decision(Outcome.SMALLTALK, state.lang(), trace.put("reason", "repeat"));
    state.lastReplies().forEach(r -> d.messages.add(message((JsonObject) r)));
    d.aside = true;
    state.offer().ifPresent(o -> offer(d, o));
    return d;
  }

  private Decision say(Language lang, String key, JsonObject trace) {
    Decision d = new Decision(Outcome.SMALLTALK, lang, trace);
    String text = texts.get(lang, key);
    d.messages.add(BotReply.Message.plain(text, List.of()));
    return d;
  }

  private static void offer(Decision d, String offer) {
    d.offer = offer;
    d.expectsShortAnswer = true;
  }

  private static void appendSpoken(Decision d, String sentence) {
    if (d.messages.isEmpty()) {
      d.messages.add(BotReply.Message.plain(sentence, List.of()));
      return;
    }
    int last = d.messages.size() - 1;
    BotReply.Message m = d.messages.get(last);
    d.messages.set(last, new BotReply.Message(m.text(), m.spoken() + " " + sentence, m.sources(), m.suggestions(),
        m.askFeedback()));
  }

  /** A stored reply message read back. */
  static BotReply.Message message(JsonObject stored) {
    List<BotReply.Source> sources = new ArrayList<>();
    stored.getJsonArray("sources", new JsonArray()).forEach(s -> {
      JsonObject source = (JsonObject) s;
      sources.add(new BotReply.Source(source.getString("slug"), source.getString("title"), source.getString("url")));
    });
    List<String> suggestions = new ArrayList<>();
    stored.getJsonArray("suggestions", new JsonArray()).forEach(s -> suggestions.add(String.valueOf(s)));
    return new BotReply.Message(stored.getString("text", ""), stored.getString("spoken"), sources, suggestions,
        stored.getBoolean("askFeedback", false));
  }
}
