package org.civicbot.channels.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationEvent;
import org.civicbot.knowledge.Language;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A conversation as plain text for the citizen to keep: a heading with the date, then one paragraph per message with
 * its time and author, exactly as stored (the citizen's words with personal data removed, the bot's Markdown as
 * written, the staff's replies).
 */
final class TranscriptText {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

  private TranscriptText() {
  }

  static String of(Conversation conversation, List<ConversationEvent> events, Language lang, ZoneId zone) {
    boolean da = lang == Language.DA;
    StringBuilder out = new StringBuilder();
    out.append(da ? "Chat med CivicBot, " : "Chat with CivicBot, ")
        .append(DAY.format(conversation.startedAt().atZone(zone))).append(" (").append(zone.getId()).append(")\n");
    out.append(da ? "Personlige oplysninger som CPR-numre er fjernet, som da beskederne blev gemt.\n"
        : "Personal data such as CPR numbers was removed, as when the messages were stored.\n");
    for (ConversationEvent e : events) {
      String time = TIME.format(e.at().atZone(zone));
      JsonObject p = e.payload();
      switch (e.type()) {
        case MESSAGE_IN -> paragraph(out, time, da ? "Du" : "You", p.getString("text", ""));
        case REPLY_OUT -> p.getJsonArray("replies", new JsonArray()).forEach(r ->
            paragraph(out, time, "CivicBot", ((JsonObject) r).getString("text", "")));
        case AGENT_MESSAGE -> paragraph(out, time, p.getString("agent", da ? "Medarbejder" : "Staff"),
            p.getString("text", ""));
        default -> {
        }
      }
    }
    return out.toString();
  }

  private static void paragraph(StringBuilder out, String time, String who, String text) {
    if (!text.isBlank()) {
      out.append('\n').append('[').append(time).append("] ").append(who).append(":\n").append(text.strip())
          .append('\n');
    }
  }
}
