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

  /**
   * A person's message to the citizen; stored, then pushed to the listeners. The writer takes the conversation if
   * nobody holds it (from the queue, or over from the bot); fails with
   * {@link org.civicbot.bot.handoff.HeldByAnotherAgent} when another agent holds it.
   */
  Future<Void> agentMessage(UUID conversationId, Agent agent, String text);

  /**
   * An agent takes the conversation: from the queue, or over from the bot in a live conversation. Claiming one's own
   * again changes nothing. Fails with {@link org.civicbot.bot.handoff.HeldByAnotherAgent} when another agent holds it,
   * with {@link org.civicbot.bot.handoff.NotHeld} when it has ended.
   */
  Future<Void> claim(UUID conversationId, Agent agent);

  /** The holding agent gives the conversation back to the bot; fails with {@code NotHeld} when they do not hold it. */
  Future<Void> release(UUID conversationId, Agent agent);

  /**
   * The holding agent (or, for one still waiting in the queue, any agent) ends the conversation: escalated, as a
   * person took it. Fails with {@code HeldByAnotherAgent} or {@code NotHeld}.
   */
  Future<Void> close(UUID conversationId, Agent agent);

  /** A staff member answering citizens: a stable id (their e-mail address) and the name the citizen sees. */
  record Agent(String id, String name) {
  }

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

  /** Registers a listener for the pushes made by this engine only (not those of other replicas): the relay. */
  void addLocalListener(PushListener listener);

  /**
   * Someone is typing in a conversation a person holds: pushed to this replica's listeners and, through the relay, to
   * the other replicas' (the citizen's widget shows "Mette is typing", the agent's inbox "the citizen is typing").
   */
  void typing(UUID conversationId, PushedMessage typing);

  /** A push another replica made (read from the log): delivered to the listeners of {@link #addListener}. */
  void pushedElsewhere(UUID conversationId, PushedMessage message);

  /** Receives messages pushed to a conversation outside the request/response cycle. */
  @FunctionalInterface
  interface PushListener {
    void pushed(UUID conversationId, PushedMessage message);
  }

  /**
   * Something pushed to the conversation's watchers outside the request/response cycle: a {@code message} (from
   * {@code agent} to the citizen, or from {@code citizen} to the agent holding it) or a change of who answers
   * ({@code claimed}, {@code released}, {@code closed}, {@code queued}), with the agent's display name where there is
   * one and the event's sequence number in the log.
   */
  record PushedMessage(String type, String from, String agent, String text, int seq) {
    public static PushedMessage message(String from, String agent, String text, int seq) {
      return new PushedMessage("message", from, agent, text, seq);
    }

    /** {@code from} ("agent" or "citizen") is typing: not stored, so it has no sequence number. */
    public static PushedMessage typing(String from, String agent) {
      return new PushedMessage("typing", from, agent, null, -1);
    }

    /** Whether the push is not in the log (typing): the relay carries it whole instead of its sequence number. */
    public boolean ephemeral() {
      return seq < 0;
    }

    public static PushedMessage change(String type, String agent, int seq) {
      return new PushedMessage(type, "line", agent, null, seq);
    }
  }

  /** A new conversation and its greeting. */
  record Started(Conversation conversation, BotReply greeting) {
  }
}
