package org.civicbot.bot;

import io.vertx.core.json.JsonObject;
import org.civicbot.knowledge.Language;

import java.util.ArrayList;
import java.util.List;

/** What the policy decided for one turn, before it is stored. */
final class Decision {
  final Outcome outcome;
  final Language lang;
  final JsonObject trace;
  final List<BotReply.Message> messages = new ArrayList<>();
  final List<BotReply.ArticleScore> articles = new ArrayList<>();
  final List<Integer> articleRevisions = new ArrayList<>();
  Boolean feedback;
  String handoffReason;
  String endReason;
  boolean personOffered;
  /** What the channel is to do with the replies. */
  ChannelAction action = ChannelAction.NONE;
  /** What a phone reply offers and awaits a yes or no to ({@code sms}, {@code callback}). */
  String offer;
  boolean expectsShortAnswer;
  /** An aside (the previous replies repeated, a prompt): not what a later "repeat" repeats. */
  boolean aside;

  Decision(Outcome outcome, Language lang, JsonObject trace) {
    this.outcome = outcome;
    this.lang = lang;
    this.trace = trace;
  }
}
