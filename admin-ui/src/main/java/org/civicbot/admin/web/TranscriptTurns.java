package org.civicbot.admin.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.bot.render.MarkdownRenderer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A transcript's turns (see {@link org.civicbot.admin.Transcripts}) as the staff templates show them. */
final class TranscriptTurns {
  private static final MarkdownRenderer MARKDOWN = new MarkdownRenderer();

  private TranscriptTurns() {
  }

  /**
   * One map per turn: who ({@code from}), the citizen's or agent's text, the agent's name, the bot's replies as safe
   * HTML, outcome, articles, the decision's reason, an end, a claim or release, and the time of day.
   */
  static List<Map<String, Object>> of(JsonObject transcript) {
    List<Map<String, Object>> turns = new ArrayList<>();
    for (Object o : transcript.getJsonArray("turns")) {
      JsonObject t = (JsonObject) o;
      List<String> replies = new ArrayList<>();
      // what the citizen could pick (a question's options, related articles) as a list after the text
      t.getJsonArray("replies", new JsonArray()).forEach(r -> {
        String text = ((JsonObject) r).getString("text", "");
        List<String> options = ((JsonObject) r).getJsonArray("suggestions", new JsonArray()).stream()
            .map(s -> "- → " + s).toList();
        replies.add(MARKDOWN.toSafeHtml(options.isEmpty() ? text : text + "\n\n" + String.join("\n", options)));
      });
      JsonObject trace = t.getJsonObject("trace", new JsonObject());
      Map<String, Object> turn = new HashMap<>();
      turn.put("from", t.getString("from", ""));
      turn.put("text", t.getString("text", t.getString("signal", "")));
      turn.put("agent", t.getString("agent", ""));
      turn.put("outcome", t.getString("outcome", ""));
      turn.put("articles", String.join(", ", t.getJsonArray("articles", new JsonArray()).stream()
          .map(String::valueOf).toList()));
      turn.put("reason", trace.getString("reason", ""));
      turn.put("replies", replies);
      turn.put("ended", t.getString("ended", ""));
      turn.put("claimed", t.getString("claimed", ""));
      turn.put("released", t.getString("released", ""));
      turn.put("at", t.getString("at", "").length() >= 19 ? t.getString("at").substring(11, 19) : "");
      turns.add(turn);
    }
    return turns;
  }
}
