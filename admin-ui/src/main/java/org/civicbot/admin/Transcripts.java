package org.civicbot.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationEvent;

import java.util.List;

/**
 * Turns a conversation's event log into the transcript staff read: one entry per turn with the citizen's (redacted)
 * text, the outcome, the article slugs, the replies, the decision trace, and any feedback or handoff.
 */
public final class Transcripts {

  /** Signals that are the citizen's doing; the others report how the line's own action went. */
  private static final java.util.Set<String> CITIZEN_SIGNALS = java.util.Set.of("silence", "not_understood",
      "chose_danish", "chose_english");

  private Transcripts() {
  }

  public static JsonObject of(Conversation conversation, List<ConversationEvent> events) {
    JsonArray turns = new JsonArray();
    JsonObject turn = null;
    for (ConversationEvent e : events) {
      JsonObject p = e.payload();
      switch (e.type()) {
        case MESSAGE_IN -> {
          turn = new JsonObject().put("seq", e.seq()).put("at", e.at().toString()).put("from", "citizen")
              .put("text", p.getString("text")).put("lang", p.getString("lang"));
          turns.add(turn);
        }
        case SIGNAL -> {
          // what the caller did without words (silence, a key) or how the line's action went (a text message sent)
          String kind = p.getString("kind", "");
          turn = new JsonObject().put("seq", e.seq()).put("at", e.at().toString())
              .put("from", CITIZEN_SIGNALS.contains(kind) ? "citizen" : "line").put("signal", kind);
          turns.add(turn);
        }
        case DECISION -> {
          if (turn == null) {
            turn = new JsonObject().put("seq", e.seq()).put("at", e.at().toString()).put("from", "bot");
            turns.add(turn);
          }
          turn.put("trace", p);
          if ("agent".equals(p.getString("outcome"))) {
            // a message to the person holding the conversation: no reply of the bot follows
            turn.put("outcome", "agent").put("articles", new JsonArray()).put("replies", new JsonArray());
            turn = null;
          }
        }
        case REPLY_OUT -> {
          if (turn == null) {
            turn = new JsonObject().put("seq", e.seq()).put("at", e.at().toString()).put("from", "bot");
            turns.add(turn);
          }
          JsonArray slugs = new JsonArray();
          p.getJsonArray("articles", new JsonArray()).forEach(a -> slugs.add(((JsonObject) a).getString("slug")));
          turn.put("outcome", p.getString("outcome")).put("articles", slugs)
              .put("articleScores", p.getJsonArray("articles", new JsonArray()))
              .put("replies", p.getJsonArray("replies", new JsonArray())).put("replySeq", e.seq());
          turn = null;
        }
        case FEEDBACK -> {
          JsonObject feedback = new JsonObject().put("seq", e.seq()).put("at", e.at().toString())
              .put("from", "citizen").put("feedback", p.getBoolean("resolved")).put("turn", p.getInteger("turn"))
              .put("via", p.getString("via"));
          if (turn != null) {
            turn.put("feedback", p.getBoolean("resolved"));
          } else {
            turns.add(feedback);
          }
        }
        case HANDOFF -> {
          if (turn != null) {
            turn.put("handoff", p.getString("reason"));
          }
        }
        case AGENT_MESSAGE -> turns.add(new JsonObject().put("seq", e.seq()).put("at", e.at().toString())
            .put("from", "agent").put("agent", p.getString("agent")).put("text", p.getString("text")));
        case CLAIMED, RELEASED -> turns.add(new JsonObject().put("seq", e.seq()).put("at", e.at().toString())
            .put("from", "system").put(e.type().wireName(), p.getString("agent")));
        case ENDED -> turns.add(new JsonObject().put("seq", e.seq()).put("at", e.at().toString())
            .put("from", "system").put("ended", p.getString("reason")).put("resolution", p.getString("resolution")));
        default -> {
        }
      }
    }
    JsonArray log = new JsonArray();
    events.forEach(e -> log.add(e.toJson()));
    return conversation.toJson().put("turns", turns).put("events", log);
  }
}
