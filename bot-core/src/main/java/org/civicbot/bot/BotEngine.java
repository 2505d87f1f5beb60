package org.civicbot.bot;

import io.vertx.core.Future;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.knowledge.KnowledgeView;
import org.civicbot.knowledge.Language;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The conversation engine every channel talks to: one inbound message in, one {@link BotReply} out, after the turn's
 * events are stored. Knows nothing of HTTP, TwiML or audio.
 */
public interface BotEngine {

  static BotEngineBuilder builder() {
    return new BotEngineBuilder();
  }

  /** Starts a conversation and returns it with the greeting (the automated-assistant disclosure). */
  Future<Started> start(String tenantId, String channel, Optional<String> externalId, Optional<Language> lang);

  /** Handles one citizen message. Fails with {@code UnknownConversationException} for an unknown conversation. */
  Future<BotReply> handle(InboundMessage message);

  /**
   * Learns what the engine learns from a tenant's knowledge base (its intent classifiers), so the first messages
   * get it too. Blocking: call from a worker thread, once the tenant's knowledge base is ready.
   */
  default void prepare(String tenantId) {
  }

  /** Records whether the last answer helped, from a button rather than words. */
  Future<BotReply> feedback(UUID conversationId, boolean resolved);

  /**
   * A handoff the channel asks for without words (the caller pressed 0): stored and answered like a citizen's request
   * for a person; on a phone, a transfer when someone takes calls, else a callback offer.
   */
  Future<BotReply> requestHandoff(UUID conversationId, String reason, ChannelAbilities abilities);

  default Future<BotReply> requestHandoff(UUID conversationId, String reason) {
    return requestHandoff(conversationId, reason, ChannelAbilities.SCREEN);
  }

  /** Something the channel noticed that is not words (silence, a key, how an action went): stored and answered. */
  Future<BotReply> signal(UUID conversationId, Signal signal, ChannelAbilities abilities);

  /**
   * Notes in the conversation's log that the citizen, handed off when no one could take over, asked to be called back
   * (request {@code callbackId} of the callback queue, on a number ending in {@code numberEnding}); the conversation
   * counts as escalated. The reply confirms it.
   */
  Future<BotReply> recordCallback(UUID conversationId, UUID callbackId, String numberEnding);

  /**
   * Ends a conversation (the caller hung up, the citizen closed the chat); judges its resolution. Ending an ended
   * conversation changes nothing.
   */
  Future<Void> end(UUID conversationId, String reason);

  /** A person's message to the citizen in a handed-off conversation; stored, then pushed to the listeners. */
  Future<Void> agentMessage(UUID conversationId, String agent, String text);

  /**
   * What a citizen writing {@code messages} one after another would be answered by {@code knowledge}: every turn
   * decided as {@link #handle} decides it (redaction, language, intents, follow-up context, the policy), in a
   * conversation that lives in memory only; nothing is stored. For regression cases: replayed against a
   * {@linkplain org.civicbot.knowledge.KnowledgeBase#candidate candidate} knowledge base, they show which answers a
   * publish would change.
   */
  Future<List<Replayed>> replay(String tenantId, Optional<Language> lang, List<String> messages,
                                ChannelAbilities abilities, KnowledgeView knowledge);

  /** One replayed turn: the message as it would be stored (redacted), the outcome and the articles given. */
  record Replayed(String text, Outcome outcome, Language lang, List<String> articles) {
    public Optional<String> article() {
      return articles.isEmpty() ? Optional.empty() : Optional.of(articles.get(0));
    }
  }

  /** Registers a listener for messages that do not answer a citizen's request (a person's replies). */
  void addListener(PushListener listener);

  /** Receives messages pushed to a conversation outside the request/response cycle. */
  @FunctionalInterface
  interface PushListener {
    void pushed(UUID conversationId, PushedMessage message);
  }

  /** A message pushed to the citizen: who sent it ({@code agent}), the text, and its sequence number in the log. */
  record PushedMessage(String from, String text, int seq) {
  }

  /** A new conversation and its greeting. */
  record Started(Conversation conversation, BotReply greeting) {
  }
}
