package org.civicbot.bot;

import org.civicbot.knowledge.Language;

import java.util.List;
import java.util.Objects;

/**
 * What the engine answers to one message; each channel renders it its own way (JSON and HTML for the web, speech
 * for the phone).
 *
 * @param outcome  what the bot did
 * @param lang     the language of the reply
 * @param replies  the bot's messages, in order
 * @param articles the articles the decision was about, best first: the answer given ({@code answered}) or the
 *                 candidates offered ({@code clarify})
 * @param turn     the sequence number of the stored reply event, for feedback and traces
 * @param ended    whether the conversation ended with this reply (the citizen said goodbye): a call hangs up
 * @param action   what the channel is to do with the replies (text them, put the citizen through)
 * @param expectsShortAnswer whether the reply asks a yes/no question (a recognizer listens for short answers)
 * @param storedText the citizen's message as it was stored (personal data removed); empty when the reply answers no
 *                   message of theirs
 */
public record BotReply(Outcome outcome, Language lang, List<Message> replies, List<ArticleScore> articles, int turn,
                       boolean ended, ChannelAction action, boolean expectsShortAnswer, String storedText) {

  public BotReply {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(lang, "lang");
    replies = List.copyOf(replies);
    articles = List.copyOf(articles);
    Objects.requireNonNull(action, "action");
    storedText = storedText == null ? "" : storedText;
  }

  public BotReply(Outcome outcome, Language lang, List<Message> replies, List<ArticleScore> articles, int turn,
                  boolean ended, ChannelAction action, boolean expectsShortAnswer) {
    this(outcome, lang, replies, articles, turn, ended, action, expectsShortAnswer, "");
  }

  public BotReply(Outcome outcome, Language lang, List<Message> replies, List<ArticleScore> articles, int turn,
                  boolean ended) {
    this(outcome, lang, replies, articles, turn, ended, ChannelAction.NONE, false);
  }

  /** The replies as one spoken text. */
  public String spoken() {
    return String.join(" ", replies.stream().map(Message::spoken).toList());
  }

  /**
   * One message of the bot.
   *
   * @param text        Markdown text for screens
   * @param spoken      plain sentences for the phone
   * @param sources     the articles the text comes from, as links
   * @param suggestions short replies the citizen can pick (clarification options, next steps)
   * @param askFeedback whether the channel should ask "did this answer your question?"
   * @param lead        for a long article, the part of {@code text} that answers the question (its introduction and
   *                    best-matching section), which a screen shows first with the whole text folded; empty when the
   *                    whole text is the answer
   */
  public record Message(String text, String spoken, List<Source> sources, List<String> suggestions,
                        boolean askFeedback, String lead) {
    public Message {
      Objects.requireNonNull(text, "text");
      spoken = spoken == null ? text : spoken;
      sources = List.copyOf(sources);
      suggestions = List.copyOf(suggestions);
      lead = lead == null ? "" : lead;
    }

    public Message(String text, String spoken, List<Source> sources, List<String> suggestions, boolean askFeedback) {
      this(text, spoken, sources, suggestions, askFeedback, "");
    }

    /** The same message with other suggestions. */
    public Message withSuggestions(List<String> others) {
      return new Message(text, spoken, sources, others, askFeedback, lead);
    }

    /** The same message with {@code part} to show first. */
    public Message withLead(String part) {
      return new Message(text, spoken, sources, suggestions, askFeedback, part);
    }

    public static Message plain(String text, List<String> suggestions) {
      return new Message(text, text, List.of(), suggestions, false);
    }
  }

  /** A link to the municipality's page an answer comes from. */
  public record Source(String slug, String title, String url) {
  }

  /** An article the decision considered, with its confidence. */
  public record ArticleScore(String slug, double score) {
  }

  public boolean answered() {
    return outcome == Outcome.ANSWERED;
  }
}
