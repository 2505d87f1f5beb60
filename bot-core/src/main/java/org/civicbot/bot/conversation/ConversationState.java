package org.civicbot.bot.conversation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.knowledge.Language;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the engine needs to know about a conversation: a fold of its event log ({@link #after}), kept beside the log
 * in the conversation's row so a turn reads one row instead of the whole log, and rebuilt from the log alone when
 * that row has none (conversations stored before it existed).
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
 * @param messagesIn           how many messages the citizen sent
 * @param lastFeedback         the citizen's last feedback (whether an answer helped), if any
 * @param answeredOnce         whether the bot ever answered from the knowledge base
 * @param lastBotOutcome       the outcome of the last bot reply that was not small talk
 * @param owner                who answers the citizen now: the bot, the queue (a handoff waits for a person) or an
 *                             agent (one person holds it; the bot is silent)
 * @param agentId              the holding agent's id (a staff user's e-mail address), while an agent holds it
 * @param agentName            the holding agent's display name, while an agent holds it
 */
public record ConversationState(Language lang, Optional<String> lastAnswered, Optional<String> lastOutcome,
                                int lastReplyTurn, List<String> clarifyOptions, int consecutiveFallbacks,
                                boolean personOffered, boolean feedbackGiven, boolean handedOff,
                                Optional<String> offer, JsonArray lastReplies, int silencePrompts,
                                int messagesIn, Optional<Boolean> lastFeedback, boolean answeredOnce,
                                Optional<String> lastBotOutcome, Owner owner, Optional<String> agentId,
                                Optional<String> agentName) {

  /** Who answers the citizen: one at a time. */
  public enum Owner {
    BOT, QUEUE, AGENT;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Whether a person answers now (one holds it, or it waits in the queue for one): the bot stays silent. */
  public boolean heldForPerson() {
    return owner != Owner.BOT;
  }

  /** A conversation that has only started. */
  public static ConversationState initial(Language lang) {
    return new ConversationState(lang, Optional.empty(), Optional.empty(), 0, List.of(), 0, false, false, false,
        Optional.empty(), new JsonArray(), 0, 0, Optional.empty(), false, Optional.empty(), Owner.BOT, Optional.empty(),
        Optional.empty());
  }

  /** The state after the whole log, from the start. */
  public static ConversationState of(Language startLang, List<ConversationEvent> events) {
    ConversationState state = initial(startLang);
    for (ConversationEvent e : events) {
      state = state.after(e);
    }
    return state;
  }

  /** The state after one more event of the log. */
  public ConversationState after(ConversationEvent e) {
    Builder b = new Builder(this);
    JsonObject p = e.payload();
    switch (e.type()) {
      case MESSAGE_IN -> {
        b.lang = Language.fromCode(p.getString("lang", lang.code()));
        b.silencePrompts = 0;
        b.messagesIn++;
      }
      case SIGNAL -> b.silencePrompts = "silence".equals(p.getString("kind")) ? silencePrompts + 1 : 0;
      case REPLY_OUT -> b.reply(e.seq(), p);
      case FEEDBACK -> {
        b.feedbackGiven = true;
        b.lastFeedback = Optional.ofNullable(p.getBoolean("resolved"));
      }
      case HANDOFF -> {
        b.handedOff = true;
        // a callback or a transfer waits for a person too; a handoff while one holds it changes nothing
        if (b.owner == Owner.BOT) {
          b.owner = Owner.QUEUE;
        }
      }
      case CLAIMED -> {
        b.handedOff = true;
        b.owner = Owner.AGENT;
        b.agentId = p.getString("agentId");
        b.agentName = p.getString("agent");
      }
      case RELEASED -> {
        b.owner = Owner.BOT;
        b.agentId = null;
        b.agentName = null;
      }
      default -> {
      }
    }
    return b.build();
  }

  /** Whether the last bot reply was an answer that still awaits feedback. */
  public boolean awaitingFeedback() {
    return lastOutcome.filter("answered"::equals).isPresent() && !feedbackGiven;
  }

  /** The form stored in the conversation's row. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("lang", lang.code())
        .put("lastAnswered", lastAnswered.orElse(null))
        .put("lastOutcome", lastOutcome.orElse(null))
        .put("lastReplyTurn", lastReplyTurn)
        .put("clarifyOptions", new JsonArray(clarifyOptions))
        .put("consecutiveFallbacks", consecutiveFallbacks)
        .put("personOffered", personOffered)
        .put("feedbackGiven", feedbackGiven)
        .put("handedOff", handedOff)
        .put("offer", offer.orElse(null))
        .put("lastReplies", lastReplies)
        .put("silencePrompts", silencePrompts)
        .put("messagesIn", messagesIn)
        .put("lastFeedback", lastFeedback.orElse(null))
        .put("answeredOnce", answeredOnce)
        .put("lastBotOutcome", lastBotOutcome.orElse(null))
        .put("owner", owner.wireName())
        .put("agentId", agentId.orElse(null))
        .put("agentName", agentName.orElse(null));
  }

  /** Reads {@link #toJson()}'s form back. */
  public static ConversationState fromJson(JsonObject json) {
    List<String> clarify = new ArrayList<>();
    json.getJsonArray("clarifyOptions", new JsonArray()).forEach(o -> clarify.add((String) o));
    return new ConversationState(Language.fromCode(json.getString("lang")),
        Optional.ofNullable(json.getString("lastAnswered")), Optional.ofNullable(json.getString("lastOutcome")),
        json.getInteger("lastReplyTurn", 0), List.copyOf(clarify), json.getInteger("consecutiveFallbacks", 0),
        json.getBoolean("personOffered", false), json.getBoolean("feedbackGiven", false),
        json.getBoolean("handedOff", false), Optional.ofNullable(json.getString("offer")),
        json.getJsonArray("lastReplies", new JsonArray()), json.getInteger("silencePrompts", 0),
        json.getInteger("messagesIn", 0), Optional.ofNullable(json.getBoolean("lastFeedback")),
        json.getBoolean("answeredOnce", false), Optional.ofNullable(json.getString("lastBotOutcome")),
        Owner.valueOf(json.getString("owner", "bot").toUpperCase(java.util.Locale.ROOT)),
        Optional.ofNullable(json.getString("agentId")), Optional.ofNullable(json.getString("agentName")));
  }

  /** The fields of a state under change, for {@link #after}. */
  private static final class Builder {
    Language lang;
    String lastAnswered;
    String lastOutcome;
    int lastReplyTurn;
    List<String> clarify;
    int fallbacks;
    boolean personOffered;
    boolean feedbackGiven;
    boolean handedOff;
    String offer;
    JsonArray lastReplies;
    int silencePrompts;
    int messagesIn;
    Optional<Boolean> lastFeedback;
    boolean answeredOnce;
    String lastBotOutcome;
    Owner owner;
    String agentId;
    String agentName;

    Builder(ConversationState s) {
      lang = s.lang;
      lastAnswered = s.lastAnswered.orElse(null);
      lastOutcome = s.lastOutcome.orElse(null);
      lastReplyTurn = s.lastReplyTurn;
      clarify = s.clarifyOptions;
      fallbacks = s.consecutiveFallbacks;
      personOffered = s.personOffered;
      feedbackGiven = s.feedbackGiven;
      handedOff = s.handedOff;
      offer = s.offer.orElse(null);
      lastReplies = s.lastReplies;
      silencePrompts = s.silencePrompts;
      messagesIn = s.messagesIn;
      lastFeedback = s.lastFeedback;
      answeredOnce = s.answeredOnce;
      lastBotOutcome = s.lastBotOutcome.orElse(null);
      owner = s.owner;
      agentId = s.agentId.orElse(null);
      agentName = s.agentName.orElse(null);
    }

    void reply(int seq, JsonObject p) {
      lastOutcome = p.getString("outcome");
      lang = Language.fromCode(p.getString("lang", lang.code()));
      offer = p.getString("offer");
      if (!p.getBoolean("aside", false)) {
        lastReplies = p.getJsonArray("replies", new JsonArray());
      }
      lastReplyTurn = seq;
      List<String> slugs = new ArrayList<>();
      p.getJsonArray("articles", new JsonArray()).forEach(a -> slugs.add(((JsonObject) a).getString("slug")));
      personOffered = p.getBoolean("personOffered", false);
      if (!"smalltalk".equals(lastOutcome)) {
        lastBotOutcome = lastOutcome;
      }
      switch (lastOutcome) {
        case "answered" -> {
          lastAnswered = slugs.isEmpty() ? lastAnswered : slugs.get(0);
          clarify = List.of();
          fallbacks = 0;
          feedbackGiven = false;
          answeredOnce = true;
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

    ConversationState build() {
      return new ConversationState(lang, Optional.ofNullable(lastAnswered), Optional.ofNullable(lastOutcome),
          lastReplyTurn, clarify, fallbacks, personOffered, feedbackGiven, handedOff, Optional.ofNullable(offer),
          lastReplies, silencePrompts, messagesIn, lastFeedback, answeredOnce, Optional.ofNullable(lastBotOutcome),
          owner, Optional.ofNullable(agentId), Optional.ofNullable(agentName));
    }
  }
}
