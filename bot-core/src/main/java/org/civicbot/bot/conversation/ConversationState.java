package org.civicbot.bot.conversation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.knowledge.Language;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the engine needs to know about a conversation, derived from its event log alone (so a restart loses nothing).
 *
 * @param lang                 the language of the last message (or the conversation's start)
 * @param lastAnswered         the article last given as an answer, if any
 * @param lastOutcome          the outcome of the last bot reply
 * @param lastReplyTurn        the sequence number of the last bot reply
 * @param clarifyOptions       the article slugs offered in a pending clarification
 * @param consecutiveFallbacks how many bot replies in a row were fallbacks
 * @param personOffered        whether the last reply offered a person
 * @param feedbackGiven        whether the last answer already got feedback
 * @param handedOff            whether the conversation was handed to a person
 * @param offer                what the last reply offered on the phone and awaits a yes or no to ({@code sms},
 *                             {@code callback}), if anything
 * @param lastReplies          the last reply's messages as stored (for "repeat")
 * @param silencePrompts       how many times in a row the caller's silence was answered
 */
public record ConversationState(Language lang, Optional<String> lastAnswered, Optional<String> lastOutcome,
                                int lastReplyTurn, List<String> clarifyOptions, int consecutiveFallbacks,
                                boolean personOffered, boolean feedbackGiven, boolean handedOff,
                                Optional<String> offer, JsonArray lastReplies, int silencePrompts) {

  public static ConversationState of(Language startLang, List<ConversationEvent> events) {
    Language lang = startLang;
    String lastAnswered = null;
    String lastOutcome = null;
    int lastReplyTurn = 0;
    List<String> clarify = List.of();
    int fallbacks = 0;
    boolean personOffered = false;
    boolean feedbackGiven = false;
    boolean handedOff = false;
    String offer = null;
    JsonArray lastReplies = new JsonArray();
    int silencePrompts = 0;
    for (ConversationEvent e : events) {
      JsonObject p = e.payload();
      switch (e.type()) {
        case MESSAGE_IN -> {
          lang = Language.fromCode(p.getString("lang", lang.code()));
          silencePrompts = 0;
        }
        case SIGNAL -> {
          if ("silence".equals(p.getString("kind"))) {
            silencePrompts++;
          } else {
            silencePrompts = 0;
          }
        }
        case REPLY_OUT -> {
          lastOutcome = p.getString("outcome");
          lang = Language.fromCode(p.getString("lang", lang.code()));
          offer = p.getString("offer");
          if (!p.getBoolean("aside", false)) {
            lastReplies = p.getJsonArray("replies", new JsonArray());
          }
          lastReplyTurn = e.seq();
          JsonArray articles = p.getJsonArray("articles", new JsonArray());
          List<String> slugs = new ArrayList<>();
          articles.forEach(a -> slugs.add(((JsonObject) a).getString("slug")));
          personOffered = p.getBoolean("personOffered", false);
          switch (lastOutcome) {
            case "answered" -> {
              lastAnswered = slugs.isEmpty() ? lastAnswered : slugs.get(0);
              clarify = List.of();
              fallbacks = 0;
              feedbackGiven = false;
            }
            case "clarify" -> {
              clarify = List.copyOf(slugs);
              fallbacks = 0;
            }
            case "fallback" -> {
              clarify = List.of();
              fallbacks++;
            }
            case "handoff" -> {
              clarify = List.of();
              fallbacks = 0;
            }
            default -> clarify = List.of();
          }
        }
        case FEEDBACK -> feedbackGiven = true;
        case HANDOFF -> handedOff = true;
        default -> {
        }
      }
    }
    return new ConversationState(lang, Optional.ofNullable(lastAnswered), Optional.ofNullable(lastOutcome),
        lastReplyTurn, clarify, fallbacks, personOffered, feedbackGiven, handedOff, Optional.ofNullable(offer),
        lastReplies, silencePrompts);
  }

  /** Whether the last bot reply was an answer that still awaits feedback. */
  public boolean awaitingFeedback() {
    return lastOutcome.filter("answered"::equals).isPresent() && !feedbackGiven;
  }
}
