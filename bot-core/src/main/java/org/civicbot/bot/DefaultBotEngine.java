package org.civicbot.bot;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.bot.conversation.ConversationState;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.conversation.Ending;
import org.civicbot.bot.conversation.EventType;
import org.civicbot.bot.conversation.MemoryTurn;
import org.civicbot.bot.conversation.Resolution;
import org.civicbot.bot.handoff.HeldByAnotherAgent;
import org.civicbot.bot.handoff.NotHeld;
import org.civicbot.bot.handoff.OpeningHours;
import org.civicbot.bot.handoff.StaffedHours;
import org.civicbot.bot.intent.Intent;
import org.civicbot.bot.intent.IntentClassifier;
import org.civicbot.bot.intent.IntentMatcher;
import org.civicbot.bot.intent.TextFolding;
import org.civicbot.bot.language.LanguageDetector;
import org.civicbot.bot.language.LanguageGuess;
import org.civicbot.bot.policy.PolicySettings;
import org.civicbot.bot.privacy.CitizenText;
import org.civicbot.bot.privacy.PiiRedactor;
import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.KnowledgeView;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.decision.AnswerFeatures;
import org.civicbot.knowledge.lead.AnswerLead;
import org.civicbot.knowledge.retrieval.Retrieval;
import org.civicbot.knowledge.retrieval.RetrievalHit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine: redact, detect the language, recognize special intents, retrieve, let the policy decide, compose the
 * reply, and store the turn (message in, decision trace, feedback or handoff, reply out) before answering.
 */
final class DefaultBotEngine implements BotEngine {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DefaultBotEngine.class);
  /**
   * A message that on its own answers confidently is still read in the previous answer's context when it has at most
   * this many content words ("and for children?" alone may hit a children's article): chosen on the validation
   * conversations ({@code eval/validation/multiturn*.tsv}).
   */
  static final int FOLLOW_UP_OWN_WORDS = 4;
  /** The answer probability from which the knowledge base answers a question the classifier takes for off-topic. */
  static final double OFF_TOPIC_OVERRULE = 0.6;
  /** How often a turn decides again when other turns of its conversation keep being stored first. */
  private static final int MAX_ATTEMPTS = 5;
  /** How many of a retrieval's candidates the decision trace keeps with their signals and features. */
  private static final int DETAILED_HITS = 3;

  private final KnowledgeBase knowledge;
  private final AnswerLead leads;
  private final Optional<StaffedHours> staffedHours;
  private final java.time.Clock clock;
  /** How many related articles an answer offers to go on with. */
  private static final int RELATED = 3;
  /** A related article ranks at least this share of the answer's retrieval score. */
  private static final double RELATED_SHARE = 0.6;
  private final ConversationStore conversations;
  private final IntentMatcher intents;
  private final BotTexts texts;
  private final PhoneDialogue phone;
  private final LanguageDetector.LanguageModel languageModel;
  private final PolicySettings policy;
  private final PiiRedactor redactor;
  private final Language defaultLanguage;
  private final Map<String, LanguageDetector> detectors = new ConcurrentHashMap<>();
  private final Map<String, TenantIntents> tenantIntents = new ConcurrentHashMap<>();
  private final Set<String> learning = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.ExecutorService learner = java.util.concurrent.Executors.newSingleThreadExecutor(
      r -> {
        Thread t = new Thread(r, "civicbot-intent-learner");
        t.setDaemon(true);
        return t;
      });
  private final List<PushListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<PushListener> localListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The CPU work of turns: never on an event loop, and apart from the knowledge base's index rebuilds. */
  private final WorkerExecutor turnWorkers;

  DefaultBotEngine(BotEngineBuilder b) {
    this.knowledge = b.knowledgeBase;
    this.leads = new AnswerLead(Optional.ofNullable(b.knowledgeBase.embedder()));
    this.staffedHours = Optional.ofNullable(b.staffedHours);
    this.clock = b.clock;
    this.conversations = b.conversations;
    this.intents = b.intents;
    this.texts = b.texts;
    this.phone = new PhoneDialogue(b.phoneTexts);
    this.languageModel = b.languageModel;
    this.policy = b.policy;
    this.redactor = b.redactor;
    this.defaultLanguage = b.defaultLanguage;
    this.turnWorkers = b.vertx.createSharedWorkerExecutor("civicbot-turns", b.turnThreads);
  }

  @Override
  public Future<Started> start(String tenantId, String channel, Optional<String> externalId, Optional<Language> lang) {
    Language language = lang.orElse(defaultLanguage);
    return conversations.create(tenantId, channel, externalId, language, turn -> {
      return new Started(turn.conversation(), storeReply(turn, greeting(language)));
    });
  }

  /**
   * A turn decides before it takes the conversation's lock: it reads the committed state, then redacts, detects the
   * language, recognizes intents, retrieves and decides on a turn worker; under the lock it only checks that no other
   * turn was stored in between (else it decides again on the new state) and appends the events.
   */
  @Override
  public Future<BotReply> handle(InboundMessage message) {
    return turn(message, CitizenText.clean(message.text()), 1);
  }

  private Future<BotReply> turn(InboundMessage message, String text, int attempt) {
    long begun = System.nanoTime();
    UUID id = message.conversationId();
    return conversations.snapshot(id).compose(snapshot -> {
      if (!snapshot.conversation().tenantId().equals(message.tenantId())) {
        return Future.failedFuture(new ConversationStore.UnknownConversationException(id));
      }
      if (snapshot.state().messagesIn() >= policy.maxMessages()) {
        return conversations.inTurn(id, this::lengthLimit);
      }
      if (snapshot.state().heldForPerson() && !message.abilities().voice()) {
        return forPerson(message, text, snapshot);
      }
      return turnWorkers.<Prepared>executeBlocking(() -> prepare(message, snapshot.state(), text, begun, knowledge), false)
          .compose(prepared -> conversations.inTurn(id, turn -> {
            if (turn.version() != snapshot.version()) {
              return Future.failedFuture(new StaleSnapshot());
            }
            prepared.decision.trace.getJsonObject("timing").put("lockedMs", millisSince(begun));
            if (snapshot.state().messagesIn() == 0) {
              turn.firstAnswer(millisSince(begun));
            }
            return Future.succeededFuture(store(turn, message, prepared));
          }).onSuccess(reply -> {
            if (!snapshot.state().answeredOnce() && reply.outcome() == Outcome.ANSWERED
                && !reply.articles().isEmpty()) {
              rejudgeReturn(id, reply.articles().get(0).slug());
            }
          }));
    }).recover(e -> {
      if (!(e instanceof StaleSnapshot)) {
        return Future.failedFuture(e);
      }
      return attempt < MAX_ATTEMPTS ? turn(message, text, attempt + 1)
          : Future.failedFuture(new ConversationStore.ConversationBusyException(id));
    });
  }

  /**
   * A message while a person answers (one holds the conversation, or it waits in the queue for one): stored for them
   * and pushed to whoever watches it; the bot stays silent (outcome {@code agent}, no replies). A phone call is not
   * held: the line keeps talking to the caller until the transfer.
   */
  private Future<BotReply> forPerson(InboundMessage message, String text, ConversationStore.Snapshot snapshot) {
    String redacted = redactor.redact(text);
    List<PushedMessage> pushes = new ArrayList<>();
    return conversations.inTurn(message.conversationId(), turn -> {
      if (turn.version() != snapshot.version()) {
        return Future.<BotReply>failedFuture(new StaleSnapshot());
      }
      ConversationState state = turn.state();
      Language lang = state.lang();
      int seq = turn.append(EventType.MESSAGE_IN, new JsonObject().put("text", redacted).put("lang", lang.code())
          .put("channel", message.channel()).put("metadata", new JsonObject(Map.copyOf(message.metadata()))));
      turn.append(EventType.DECISION, new JsonObject().put("text", redacted).put("outcome", Outcome.AGENT.wireName())
          .put("reason", state.owner() == ConversationState.Owner.AGENT ? "held by an agent" : "waiting for a person")
          .put("owner", state.owner().wireName()).put("agent", state.agentName().orElse(null)));
      pushes.add(PushedMessage.message("citizen", state.agentName().orElse(null), redacted, seq));
      return Future.succeededFuture(new BotReply(Outcome.AGENT, lang, List.of(), List.of(), seq, false,
          ChannelAction.NONE, false, redacted));
    }).onSuccess(reply -> push(message.conversationId(), pushes));
  }

  /** The message redacted and the decision on it, made on a turn worker from the conversation's committed state. */
  private Prepared prepare(InboundMessage message, ConversationState state, String cleaned, long begun,
                           KnowledgeView kb) {
    String redacted = redactor.redact(cleaned);
    boolean firstMessage = state.messagesIn() == 0;
    Language keep = firstMessage ? message.localeHint().orElse(state.lang()) : state.lang();
    IntentMatcher.Match match = intents(message.tenantId()).match(redacted);
    LanguageGuess guess = detector(message.tenantId()).detect(redacted, match.languageEvidence(), keep);
    Language lang = guess.language();
    JsonObject trace = new JsonObject()
        .put("text", redacted)
        .put("lang", lang.code())
        .put("language", new JsonObject().put("score", guess.score()).put("decided", guess.decided())
            .put("evidence", guess.evidence()))
        .put("intents", new JsonArray(match.intents().stream().map(Enum::name).toList()))
        .put("contentWords", match.contentWords());
    Decision decision = decide(message, state, match, lang, redacted, trace, kb);
    if (!decision.trace.containsKey("text")) {
      decision.trace.put("text", redacted);
    }
    if (message.abilities().voice()) {
      phone.adapt(decision, message.abilities());
    } else {
      lead(decision, redacted);
      offHours(decision, message.tenantId());
    }
    decision.trace.put("timing", new JsonObject().put("decidedMs", millisSince(begun)));
    return new Prepared(redacted, decision);
  }

  /**
   * A web citizen asks for a person outside the tenant's opening hours: still queued (a person sees it when back),
   * but told when people are back and offered to leave a message with a way to be contacted.
   */
  private void offHours(Decision d, String tenantId) {
    if (d.outcome != Outcome.HANDOFF || staffedHours.isEmpty() || !texts.has(d.lang, "handoffClosed")) {
      return;
    }
    OpeningHours hours = staffedHours.get().of(tenantId);
    java.time.Instant now = clock.instant();
    if (hours.isOpen(now)) {
      return;
    }
    String back = hours.describeNextOpening(now, d.lang);
    String template = texts.get(d.lang, "handoffClosed");
    // "back Monday at 8 a.m." ends a sentence itself
    String text = (back.endsWith(".") ? template.replace("{back}.", "{back}") : template).replace("{back}", back);
    d.messages.clear();
    d.messages.add(new BotReply.Message(text, text, List.of(), List.of(), false));
    d.action = ChannelAction.LEAVE_MESSAGE;
    d.trace.put("offHours", new JsonObject().put("back", back).put("hours", hours.spec()));
  }

  /** On a screen, an answer from a long article leads with the part that answers {@code question}. */
  private void lead(Decision d, String question) {
    if (d.outcome != Outcome.ANSWERED || d.messages.isEmpty() || d.messages.get(0).sources().size() != 1) {
      return;
    }
    BotReply.Message m = d.messages.get(0);
    leads.lead(d.lang, question, m.text()).ifPresent(lead -> {
      d.messages.set(0, m.withLead(lead.markdown()));
      d.trace.put("lead", new JsonObject().put("section", lead.heading()).put("score", lead.score()));
    });
  }

  /** A first answer of a returning visitor: their earlier assumed resolution of the same article was not one. */
  private void rejudgeReturn(UUID id, String slug) {
    conversations.rejudgeReturn(id, slug)
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("Conversation {}: the citizen came back with the same question; {} earlier re-judged unresolved",
                id, n);
          }
        })
        .onFailure(e -> LOG.warn("Conversation {}: could not re-judge an earlier one: {}", id, e.getMessage()));
  }

  /** Appends the citizen's message and the decision on it to the conversation. */
  private BotReply store(ConversationStore.Turn turn, InboundMessage message, Prepared prepared) {
    int answerTurn = turn.state().lastReplyTurn();
    turn.append(EventType.MESSAGE_IN, new JsonObject().put("text", prepared.text)
        .put("lang", prepared.decision.lang.code()).put("channel", message.channel())
        .put("metadata", new JsonObject(Map.copyOf(message.metadata()))));
    turn.language(prepared.decision.lang);
    if (prepared.decision.feedback != null) {
      turn.append(EventType.FEEDBACK, new JsonObject().put("resolved", prepared.decision.feedback)
          .put("turn", answerTurn).put("via", "words"));
    }
    return storeReply(turn, prepared.decision);
  }

  @Override
  public Future<List<Replayed>> replay(String tenantId, Optional<Language> lang, List<String> messages,
                                       ChannelAbilities abilities, KnowledgeView kb) {
    return turnWorkers.executeBlocking(() -> {
      Language language = lang.orElse(defaultLanguage);
      MemoryTurn turn = MemoryTurn.unstored(tenantId, language);
      storeReply(turn, greeting(language));
      List<Replayed> replayed = new ArrayList<>();
      for (String text : messages) {
        InboundMessage message = new InboundMessage(tenantId, turn.conversation().id(), "test", text,
            lang, Map.of(), abilities);
        Prepared prepared = prepare(message, turn.state(), CitizenText.clean(text), System.nanoTime(), kb);
        BotReply reply = store(turn, message, prepared);
        replayed.add(new Replayed(prepared.text, reply.outcome(), reply.lang(),
            reply.articles().stream().map(BotReply.ArticleScore::slug).toList()));
      }
      return replayed;
    }, false);
  }

  private Decision greeting(Language language) {
    Decision greeting = new Decision(Outcome.SMALLTALK, language, new JsonObject().put("reason", "greeting"));
    greeting.messages.add(texts.message(language, "greeting", texts.list(language, "greetingSuggestions")));
    return greeting;
  }

  /** The citizen's message beyond {@link PolicySettings#maxMessages()}: a polite end, and the message not kept. */
  private Future<BotReply> lengthLimit(ConversationStore.Turn turn) {
    Language lang = turn.state().lang();
    Decision d = new Decision(Outcome.SMALLTALK, lang, new JsonObject().put("reason", "length limit")
        .put("maxMessages", policy.maxMessages()));
    d.messages.add(texts.message(lang, "lengthLimit", List.of()));
    if (turn.conversation().endedAt().isPresent()) {
      return Future.succeededFuture(new BotReply(d.outcome, lang, d.messages, List.of(), turn.version() - 1, true,
          ChannelAction.NONE, false));
    }
    d.endReason = "length limit";
    return Future.succeededFuture(storeReply(turn, d));
  }

  private static double millisSince(long nanoTime) {
    return Math.round((System.nanoTime() - nanoTime) / 10_000.0) / 100.0;
  }

  private record Prepared(String text, Decision decision) {
  }

  /** Another turn of the conversation was stored after this one read its state. */
  private static final class StaleSnapshot extends RuntimeException {
    StaleSnapshot() {
      super(null, null, false, false);
    }
  }

  @Override
  public Future<BotReply> feedback(UUID conversationId, boolean resolved) {
    return conversations.inTurn(conversationId, turn -> {
      ConversationState state = turn.state();
      Language lang = state.lang();
      turn.append(EventType.FEEDBACK, new JsonObject().put("resolved", resolved).put("turn", state.lastReplyTurn())
          .put("via", "button"));
      Decision ack = resolved
          ? smalltalk(lang, "feedbackYes", "feedback")
          : offerPerson(lang, "feedbackNo", new JsonObject().put("reason", "negative feedback"));
      return Future.succeededFuture(storeReply(turn, ack));
    });
  }

  @Override
  public Future<BotReply> requestHandoff(UUID conversationId, String reason, ChannelAbilities abilities) {
    return conversations.inTurn(conversationId, turn -> {
      ConversationState state = turn.state();
      Decision d = handoff(state.lang(), reason, new JsonObject().put("channelRequest", reason));
      if (abilities.voice()) {
        phone.adapt(d, abilities);
      }
      return Future.succeededFuture(storeReply(turn, d));
    });
  }

  @Override
  public Future<BotReply> signal(UUID conversationId, Signal signal, ChannelAbilities abilities) {
    return conversations.inTurn(conversationId, turn -> {
      if (turn.conversation().endedAt().isPresent()) {
        return Future.failedFuture(new IllegalStateException("conversation " + conversationId + " has ended"));
      }
      ConversationState state = turn.state();
      Decision d = phone.signal(signal, state, abilities);
      turn.append(EventType.SIGNAL, new JsonObject().put("kind", signal.wireName()));
      turn.language(d.lang);
      return Future.succeededFuture(storeReply(turn, d));
    });
  }

  @Override
  public Future<BotReply> recordCallback(UUID conversationId, UUID callbackId, String numberEnding) {
    return conversations.inTurn(conversationId, turn -> {
      ConversationState state = turn.state();
      turn.append(EventType.HANDOFF, new JsonObject().put("reason", "callback requested")
          .put("callbackId", callbackId.toString()));
      return Future.succeededFuture(storeReply(turn, phone.callbackRecorded(state.lang(), numberEnding)));
    });
  }

  @Override
  public Future<Void> end(UUID conversationId, String reason) {
    return conversations.inTurn(conversationId, turn -> {
      if (turn.conversation().endedAt().isPresent()) {
        return Future.<Void>succeededFuture();
      }
      Ending ending = Ending.judge(turn.state(), reason);
      turn.append(EventType.ENDED, new JsonObject().put("reason", reason)
          .put("resolution", ending.resolution().wireName()).put("outcome", ending.wireName()));
      turn.end(ending);
      return Future.<Void>succeededFuture();
    });
  }

  @Override
  public Future<Void> agentMessage(UUID conversationId, Agent agent, String text) {
    String clean = text == null ? "" : CitizenText.withoutControls(text).strip();
    if (clean.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("an agent message needs text"));
    }
    List<PushedMessage> pushes = new ArrayList<>();
    return conversations.inTurn(conversationId, turn -> {
          take(turn, agent, pushes);
          int seq = turn.append(EventType.AGENT_MESSAGE, new JsonObject().put("agent", agent.name())
              .put("agentId", agent.id()).put("text", clean));
          pushes.add(PushedMessage.message("agent", agent.name(), clean, seq));
          return Future.<Void>succeededFuture();
        })
        .onSuccess(v -> push(conversationId, pushes));
  }

  @Override
  public Future<Void> claim(UUID conversationId, Agent agent) {
    List<PushedMessage> pushes = new ArrayList<>();
    return conversations.inTurn(conversationId, turn -> {
      take(turn, agent, pushes);
      return Future.<Void>succeededFuture();
    }).onSuccess(v -> push(conversationId, pushes));
  }

  /** Makes {@code agent} the conversation's one owner, unless they are already; refuses another's or an ended one. */
  private static void take(ConversationStore.Turn turn, Agent agent, List<PushedMessage> pushes) {
    ConversationState state = turn.state();
    if (turn.conversation().endedAt().isPresent()) {
      throw new NotHeld("the conversation has ended");
    }
    if (state.owner() == ConversationState.Owner.AGENT) {
      if (state.agentId().filter(agent.id()::equals).isPresent()) {
        return;
      }
      throw new HeldByAnotherAgent(state.agentName().orElse("another agent"));
    }
    int seq = turn.append(EventType.CLAIMED, new JsonObject().put("agentId", agent.id()).put("agent", agent.name())
        .put("from", state.owner().wireName()));
    pushes.add(PushedMessage.change("claimed", agent.name(), seq));
  }

  @Override
  public Future<Void> release(UUID conversationId, Agent agent) {
    List<PushedMessage> pushes = new ArrayList<>();
    return conversations.inTurn(conversationId, turn -> {
      holding(turn, agent, false);
      int seq = turn.append(EventType.RELEASED, new JsonObject().put("agentId", agent.id()).put("agent", agent.name()));
      pushes.add(PushedMessage.change("released", agent.name(), seq));
      return Future.<Void>succeededFuture();
    }).onSuccess(v -> push(conversationId, pushes));
  }

  @Override
  public Future<Void> close(UUID conversationId, Agent agent) {
    List<PushedMessage> pushes = new ArrayList<>();
    return conversations.inTurn(conversationId, turn -> {
      holding(turn, agent, true);
      Ending ending = Ending.judge(turn.state(), "closed by agent");
      int seq = turn.append(EventType.ENDED, new JsonObject().put("reason", "closed by agent")
          .put("agentId", agent.id()).put("agent", agent.name())
          .put("resolution", ending.resolution().wireName()).put("outcome", ending.wireName()));
      turn.end(ending);
      pushes.add(PushedMessage.change("closed", agent.name(), seq));
      return Future.<Void>succeededFuture();
    }).onSuccess(v -> push(conversationId, pushes));
  }

  /** Checks that {@code agent} holds the conversation (or, {@code orWaiting}, that it waits in the queue). */
  private static void holding(ConversationStore.Turn turn, Agent agent, boolean orWaiting) {
    ConversationState state = turn.state();
    if (turn.conversation().endedAt().isPresent()) {
      throw new NotHeld("the conversation has ended");
    }
    if (state.owner() == ConversationState.Owner.AGENT && state.agentId().filter(agent.id()::equals).isEmpty()) {
      throw new HeldByAnotherAgent(state.agentName().orElse("another agent"));
    }
    if (state.owner() == ConversationState.Owner.BOT
        || state.owner() == ConversationState.Owner.QUEUE && !orWaiting) {
      throw new NotHeld("you do not hold this conversation; claim it first");
    }
  }

  private void push(UUID conversationId, List<PushedMessage> pushes) {
    pushes.forEach(p -> {
      listeners.forEach(l -> l.pushed(conversationId, p));
      localListeners.forEach(l -> l.pushed(conversationId, p));
    });
  }

  @Override
  public void typing(UUID conversationId, PushedMessage typing) {
    push(conversationId, List.of(typing));
  }

  @Override
  public void addLocalListener(PushListener listener) {
    localListeners.add(listener);
  }

  @Override
  public void pushedElsewhere(UUID conversationId, PushedMessage message) {
    listeners.forEach(l -> l.pushed(conversationId, message));
  }

  @Override
  public void addListener(PushListener listener) {
    listeners.add(listener);
  }

  private Decision decide(InboundMessage message, ConversationState state, IntentMatcher.Match match,
                          Language lang, String text, JsonObject trace, KnowledgeView kb) {
    String tenant = message.tenantId();
    trace.put("intentScores", scoresJson(match));
    if (match.has(Intent.EMERGENCY) || match.has(Intent.SELF_HARM)) {
      Optional<Article> emergency = kb.published(tenant, lang, policy.emergencySlug());
      if (emergency.isPresent()) {
        boolean selfHarm = match.has(Intent.SELF_HARM);
        trace.put("reason", selfHarm ? "self-harm intent" : "emergency intent");
        Decision d = answer(lang, emergency.get(), 1.0, trace);
        if (selfHarm) {
          d.messages.add(0, texts.message(lang, "selfHarm", List.of()));
        }
        return d;
      }
    }
    if (match.has(Intent.HUMAN)) {
      return handoff(lang, "requested", trace);
    }
    if (message.abilities().voice()) {
      Optional<Decision> move = phone.before(state, text, lang, message.abilities(), trace);
      if (move.isPresent()) {
        return move.get();
      }
    }
    if (state.personOffered() && match.has(Intent.YES)) {
      return handoff(lang, "accepted offer", trace);
    }
    if (state.awaitingFeedback() && (match.has(Intent.YES) || match.has(Intent.NO))) {
      boolean resolved = match.has(Intent.YES);
      trace.put("reason", "feedback in words");
      Decision d = resolved ? smalltalk(lang, "feedbackYes", "feedback")
          : offerPerson(lang, "feedbackNo", trace.put("reason", "negative feedback in words"));
      d.feedback = resolved;
      return d;
    }
    Optional<String> choice = clarifyChoice(tenant, lang, state.clarifyOptions(), text, kb);
    if (choice.isPresent()) {
      Optional<Article> chosen = kb.published(tenant, lang, choice.get());
      if (chosen.isPresent()) {
        trace.put("reason", "clarification choice").put("options", new JsonArray(state.clarifyOptions()));
        return answer(lang, chosen.get(), 1.0, trace);
      }
    }
    if (match.has(Intent.GOODBYE)) {
      Decision d = smalltalk(lang, "smalltalkGoodbye", "goodbye");
      d.endReason = "goodbye";
      return d;
    }
    if (match.has(Intent.THANKS)) {
      return smalltalk(lang, "smalltalkThanks", "thanks");
    }
    if (match.has(Intent.GREETING)) {
      return smalltalk(lang, "smalltalkGreeting", "greeting");
    }
    if (match.has(Intent.YES) || match.has(Intent.NO)) {
      return smalltalk(lang, "smalltalkAcknowledge", "yes or no without a question");
    }
    List<String> parts = QuestionParts.split(text);
    boolean offTopic = match.has(Intent.OFF_TOPIC);
    Retrieval direct = kb.retrieveBlocking(tenant, lang, text);
    Optional<Article> previous = state.lastAnswered().flatMap(slug -> kb.published(tenant, lang, slug));
    String shape = previous.isEmpty() ? null
        : followUpShaped(match, direct) ? "elliptical"
        : relatedToPrevious(direct, previous.get().slug()) ? "related" : null;
    if (shape != null) {
      String contextual = text + " " + previous.get().content().title();
      Retrieval withContext = kb.retrieveBlocking(tenant, lang, contextual);
      // a message confidently about something on its own is a new topic, unless it is too short to name one
      boolean use = withContext.confident() && (!direct.confident()
          || direct.queryWords() <= FOLLOW_UP_OWN_WORDS
          && withContext.best().get().confidence() > direct.best().get().confidence());
      JsonObject followUp = new JsonObject().put("previous", previous.get().slug()).put("query", contextual)
          .put("shape", shape).put("used", use).put("direct", retrievalJson(direct));
      return policyDecision(state, lang, use ? withContext : direct, trace, followUp, List.of(), offTopic);
    }
    if (parts.size() < 2) {
      return policyDecision(state, lang, direct, trace, null, List.of(), offTopic);
    }
    List<Retrieval> confident = new ArrayList<>();
    for (String part : parts) {
      Retrieval r = kb.retrieveBlocking(tenant, lang, part);
      if (r.confident()) {
        confident.add(r);
      }
    }
    Retrieval main = direct.confident() || confident.isEmpty() ? direct : confident.get(0);
    String mainSlug = main.best().map(RetrievalHit::slug).orElse("");
    List<RetrievalHit> others = confident.stream().map(r -> r.best().get())
        .filter(h -> !h.slug().equals(mainSlug)).toList();
    trace.put("parts", new JsonArray(parts));
    return policyDecision(state, lang, main, trace, null, others, offTopic);
  }

  /**
   * Whether a message is shaped like a follow-up to the previous answer: few content words (after fillers), made of
   * words the knowledge base knows (an out-of-scope question is not a follow-up), with a follow-up marker such as
   * "it", "how much" or a leading "and", or only a word or two. It is then read in the previous answer's context too,
   * and that reading is used when it is confident and the message alone is not, or is too short to name a topic of
   * its own and the context reading is more probable (it may lead to a neighbour: "and for children?").
   */
  private boolean followUpShaped(IntentMatcher.Match match, Retrieval direct) {
    boolean shortMessage = direct.queryWords() <= policy.followUpMaxWords();
    boolean shaped = match.followUpMarker() || direct.queryWords() <= 2;
    return shortMessage && shaped && direct.unknownShare() < 0.5;
  }

  /**
   * Whether a message that is not elliptical still continues the previous answer's topic ("do I have to go to the
   * police?" after the lost-passport answer): alone it answers nothing confidently, its words are known, it is not
   * long, and the previous article is among its own candidates. A message about something else entirely ("what's the
   * weather tomorrow?") does not have the previous article among its candidates, so it is not read in its context.
   */
  private boolean relatedToPrevious(Retrieval direct, String previousSlug) {
    return !direct.confident() && direct.unknownShare() < 0.5
        && direct.queryWords() <= 2 * policy.followUpMaxWords()
        && direct.hits().stream().anyMatch(h -> h.slug().equals(previousSlug));
  }

  private Decision policyDecision(ConversationState state, Language lang, Retrieval retrieval, JsonObject trace,
                                  JsonObject followUp, List<RetrievalHit> alsoAsked, boolean offTopic) {
    trace.put("retrieval", retrievalJson(retrieval));
    trace.put("policy", new JsonObject()
        .put("answerThreshold", retrieval.threshold())
        .put("clarifyMargin", policy.clarifyMargin())
        .put("suggestFloor", policy.suggestFloor())
        .put("followUpAmbiguity", policy.followUpAmbiguity()));
    trace.put("followUp", followUp == null ? new JsonObject().put("used", false) : followUp);
    List<RetrievalHit> hits = retrieval.hits();
    // a question about something no municipality handles ("can you book me at my dentist?") is declined unless the
    // knowledge base is sure of an answer
    boolean overruled = retrieval.confident() && offTopic && hits.get(0).confidence() < OFF_TOPIC_OVERRULE;
    if (overruled) {
      trace.put("offTopic", true);
    }
    if (retrieval.confident() && !overruled) {
      RetrievalHit best = hits.get(0);
      List<RetrievalHit> close = new ArrayList<>();
      close.add(best);
      for (RetrievalHit hit : hits.subList(1, hits.size())) {
        if (close.size() < policy.maxOptions() && hit.peerConfidence() >= retrieval.threshold()
            && hit.score() >= (1 - policy.clarifyMargin()) * best.score()) {
          close.add(hit);
        }
      }
      if (close.size() >= 2) {
        return clarify(lang, close, trace);
      }
      trace.put("reason", "confident");
      Decision d = answer(lang, best.article(), best.confidence(), trace);
      if (!alsoAsked.isEmpty()) {
        BotReply.Message m = d.messages.get(0);
        List<String> suggestions = new ArrayList<>(m.suggestions());
        alsoAsked.forEach(h -> suggestions.add(h.article().content().title()));
        d.messages.set(0, m.withSuggestions(suggestions));
        trace.put("alsoAsked", new JsonArray(alsoAsked.stream().map(RetrievalHit::slug).toList()));
      } else {
        // the next articles the question could have been about, as questions the citizen may go on with
        List<RetrievalHit> related = hits.subList(1, hits.size()).stream()
            .filter(h -> h.score() >= RELATED_SHARE * best.score()).limit(RELATED).toList();
        if (!related.isEmpty()) {
          d.messages.set(0, d.messages.get(0).withSuggestions(related.stream()
              .map(h -> h.article().content().title()).toList()));
          trace.put("related", new JsonArray(related.stream().map(RetrievalHit::slug).toList()));
        }
      }
      return d;
    }
    if (retrieval.notCovered().isPresent()) {
      Retrieval.NotCoveredHit n = retrieval.notCovered().get();
      trace.put("reason", "not covered").put("outcome", "fallback").put("notCovered", new JsonObject()
          .put("article", n.slug()).put("topic", n.topic().topic()).put("strength", round(n.strength())));
      Decision d = new Decision(Outcome.FALLBACK, lang, trace);
      String reply = texts.get(lang, "notCovered").replace("{topic}", n.topic().topic()) + " " + n.topic().refer();
      d.messages.add(new BotReply.Message(reply, reply, List.of(), List.of(texts.get(lang, "talkToPerson")), false));
      return d;
    }
    trace.put("reason", hits.isEmpty() ? "no candidates" : "not confident");
    List<RetrievalHit> near = hits.stream().filter(h -> h.confidence() >= policy.suggestFloor()).limit(2).toList();
    boolean offer = state.consecutiveFallbacks() + 1 >= policy.fallbacksBeforeOffer();
    Decision d = new Decision(Outcome.FALLBACK, lang, trace.put("outcome", "fallback"));
    List<String> suggestions = new ArrayList<>();
    String key = offer ? "fallbackOfferPerson" : "fallback";
    StringBuilder reply = new StringBuilder(texts.get(lang, key));
    if (offer) {
      suggestions.add(texts.get(lang, "yes"));
      suggestions.add(texts.get(lang, "no"));
      d.personOffered = true;
    } else {
      near.forEach(h -> suggestions.add(h.article().content().title()));
      if (!near.isEmpty()) {
        reply.append("\n\n").append(texts.get(lang, "fallbackSuggestionsIntro"));
      }
      suggestions.add(texts.get(lang, "talkToPerson"));
    }
    d.messages.add(new BotReply.Message(reply.toString(), texts.spoken(lang, key), List.of(), suggestions, false));
    near.forEach(h -> d.articles.add(new BotReply.ArticleScore(h.slug(), h.confidence())));
    return d;
  }

  private static JsonObject scoresJson(IntentMatcher.Match match) {
    JsonObject scores = new JsonObject();
    match.scores().forEach((intent, p) -> {
      if (p >= 0.05) {
        scores.put(intent.name(), round(p));
      }
    });
    return scores;
  }

  /**
   * Which offered option the citizen chose: by number ("2", "the second"), by its title, or by a word of its title
   * that no other option's title has ("businesses" between the residents' and the businesses' permits).
   */
  private Optional<String> clarifyChoice(String tenant, Language lang, List<String> options, String text,
                                         KnowledgeView kb) {
    if (options.isEmpty()) {
      return Optional.empty();
    }
    String folded = TextFolding.fold(text);
    int ordinal = ordinal(folded);
    if (ordinal >= 1 && ordinal <= options.size()) {
      return Optional.of(options.get(ordinal - 1));
    }
    Map<String, Set<String>> titleWords = new LinkedHashMap<>();
    for (String slug : options) {
      Optional<Article> option = kb.published(tenant, lang, slug);
      if (option.isEmpty()) {
        continue;
      }
      String title = TextFolding.fold(option.get().content().title());
      if (title.equals(folded)) {
        return Optional.of(slug);
      }
      titleWords.put(slug, new HashSet<>(List.of(title.split(" "))));
    }
    Set<String> said = new HashSet<>(List.of(folded.split(" ")));
    List<String> matching = new ArrayList<>();
    titleWords.forEach((slug, words) -> {
      boolean distinctive = words.stream().filter(w -> w.length() >= 4 && said.contains(w))
          .anyMatch(w -> titleWords.entrySet().stream().noneMatch(o -> !o.getKey().equals(slug)
              && o.getValue().contains(w)));
      if (distinctive) {
        matching.add(slug);
      }
    });
    return matching.size() == 1 && said.size() <= policy.followUpMaxWords() ? Optional.of(matching.get(0))
        : Optional.empty();
  }

  private static final List<List<String>> ORDINALS = List.of(
      List.of("1", "first", "one", "forste", "foerste", "en", "et"),
      List.of("2", "second", "two", "anden", "andet", "to"),
      List.of("3", "third", "three", "tredje", "tre"));

  /** 1, 2 or 3 for a message that is just a choice by number ("2", "the second one", "den anden"); else 0. */
  private static int ordinal(String folded) {
    List<String> words = new ArrayList<>(List.of(folded.split(" ")));
    words.removeAll(List.of("the", "one", "den", "det", "number", "nummer", "option", "mulighed", "please", "tak"));
    if (words.size() != 1) {
      return folded.equals("one") ? 1 : 0;
    }
    for (int i = 0; i < ORDINALS.size(); i++) {
      if (ORDINALS.get(i).contains(words.get(0))) {
        return i + 1;
      }
    }
    return 0;
  }

  private Decision answer(Language lang, Article article, double confidence, JsonObject trace) {
    trace.put("outcome", "answered").put("article", new JsonObject().put("slug", article.slug())
        .put("revision", article.revision()).put("lang", article.lang().code()));
    Decision d = new Decision(Outcome.ANSWERED, lang, trace);
    d.messages.add(new BotReply.Message(article.content().answer(), article.content().spoken(),
        List.of(new BotReply.Source(article.slug(), article.content().title(), article.content().sourceUrl())),
        List.of(), true));
    d.articles.add(new BotReply.ArticleScore(article.slug(), confidence));
    d.articleRevisions.add(article.revision());
    return d;
  }

  private Decision clarify(Language lang, List<RetrievalHit> options, JsonObject trace) {
    trace.put("reason", "close candidates").put("outcome", "clarify");
    Decision d = new Decision(Outcome.CLARIFY, lang, trace);
    List<String> titles = options.stream().map(h -> h.article().content().title()).toList();
    // the options are the suggestions (buttons on a screen), not repeated in the text
    String spoken = texts.spoken(lang, "clarify") + " " + String.join(texts.get(lang, "or"), titles) + "?";
    d.messages.add(new BotReply.Message(texts.get(lang, "clarify"), spoken, List.of(), titles, false));
    options.forEach(h -> d.articles.add(new BotReply.ArticleScore(h.slug(), h.confidence())));
    return d;
  }

  private Decision handoff(Language lang, String reason, JsonObject trace) {
    trace.put("reason", "handoff " + reason).put("outcome", "handoff");
    Decision d = new Decision(Outcome.HANDOFF, lang, trace);
    d.messages.add(texts.message(lang, "handoff", List.of()));
    d.handoffReason = reason;
    return d;
  }

  private Decision smalltalk(Language lang, String textKey, String reason) {
    Decision d = new Decision(Outcome.SMALLTALK, lang, new JsonObject().put("reason", reason));
    d.messages.add(texts.message(lang, textKey, List.of()));
    return d;
  }

  private Decision offerPerson(Language lang, String textKey, JsonObject trace) {
    Decision d = new Decision(Outcome.FALLBACK, lang, trace.put("outcome", "fallback"));
    d.messages.add(texts.message(lang, textKey, List.of(texts.get(lang, "talkToPerson"))));
    return d;
  }

  private BotReply storeReply(ConversationStore.Turn turn, Decision d) {
    if (d.trace.getString("outcome") == null) {
      d.trace.put("outcome", d.outcome.wireName());
    }
    turn.append(EventType.DECISION, d.trace);
    if (d.handoffReason != null) {
      turn.append(EventType.HANDOFF, new JsonObject().put("reason", d.handoffReason));
    }
    JsonArray replies = new JsonArray();
    d.messages.forEach(m -> replies.add(messageJson(m)));
    JsonArray articles = new JsonArray();
    for (int i = 0; i < d.articles.size(); i++) {
      BotReply.ArticleScore a = d.articles.get(i);
      JsonObject json = new JsonObject().put("slug", a.slug()).put("score", a.score());
      if (i < d.articleRevisions.size()) {
        json.put("revision", d.articleRevisions.get(i));
      }
      articles.add(json);
    }
    int seq = turn.append(EventType.REPLY_OUT, new JsonObject().put("outcome", d.outcome.wireName())
        .put("lang", d.lang.code()).put("replies", replies).put("articles", articles)
        .put("personOffered", d.personOffered).put("offer", d.offer).put("aside", d.aside)
        .put("action", d.action == ChannelAction.NONE ? null : d.action.name().toLowerCase(java.util.Locale.ROOT)));
    if (d.endReason != null) {
      Ending ending = Ending.judge(turn.state(), d.endReason);
      turn.append(EventType.ENDED, new JsonObject().put("reason", d.endReason)
          .put("resolution", ending.resolution().wireName()).put("outcome", ending.wireName()));
      turn.end(ending);
    }
    return new BotReply(d.outcome, d.lang, d.messages, d.articles, seq, d.endReason != null, d.action,
        d.expectsShortAnswer, d.trace.getString("text", ""));
  }

  static JsonObject messageJson(BotReply.Message m) {
    JsonArray sources = new JsonArray();
    m.sources().forEach(s -> sources.add(new JsonObject().put("slug", s.slug()).put("title", s.title())
        .put("url", s.url())));
    JsonObject json = new JsonObject().put("text", m.text()).put("spoken", m.spoken()).put("sources", sources)
        .put("suggestions", new JsonArray(m.suggestions())).put("askFeedback", m.askFeedback());
    return m.lead().isEmpty() ? json : json.put("lead", m.lead());
  }

  /**
   * The retrieval as the trace keeps it: every candidate's score and confidence, the signals and features of the
   * first {@link #DETAILED_HITS} only (the trace is written with every turn; the rest are never why it decided).
   */
  private static JsonObject retrievalJson(Retrieval retrieval) {
    JsonArray hits = new JsonArray();
    for (RetrievalHit h : retrieval.hits()) {
      JsonObject hit = new JsonObject()
          .put("slug", h.slug())
          .put("revision", h.revision())
          .put("score", round(h.score()))
          .put("confidence", round(h.confidence()));
      hits.add(hit);
      if (hits.size() > DETAILED_HITS) {
        continue;
      }
      hit.put("signals", new JsonObject()
              .put("articleBm25", round(h.signals().articleBm25()))
              .put("phraseBm25", round(h.signals().phraseBm25()))
              .put("coverage", round(h.signals().coverage()))
              .put("phraseCoverage", round(h.signals().phraseCoverage()))
              .put("vectorCosine", h.signals().hasVector() ? round(h.signals().vectorCosine()) : null))
          .put("features", featuresJson(h.features()));
    }
    return new JsonObject().put("query", retrieval.query()).put("lang", retrieval.language().code())
        .put("confident", retrieval.confident()).put("threshold", retrieval.threshold())
        .put("queryWords", retrieval.queryWords()).put("unknownShare", round(retrieval.unknownShare()))
        .put("corrections", new JsonArray(retrieval.corrections())).put("hits", hits);
  }

  private static JsonObject featuresJson(double[] features) {
    return new JsonObject(new java.util.LinkedHashMap<>(AnswerFeatures.named(features)));
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }

  /**
   * The tenant's intent matcher: the bundled classifier's examples learned again with the tenant's own phrasings
   * (its emergency article's as emergencies, every other article's and every not-covered example as ordinary
   * questions), once per published knowledge base.
   */
  private IntentMatcher intents(String tenant) {
    TenantIntents current = tenantIntents.get(tenant);
    if (intents.classifier().isEmpty() || !knowledge.ready(tenant)) {
      return intents;
    }
    if (current == null || !current.version().equals(knowledgeVersion(tenant))) {
      // learning takes a few hundred milliseconds: not on this thread, which may be an event loop
      if (learning.add(tenant)) {
        learner.execute(() -> {
          try {
            prepare(tenant);
          } finally {
            learning.remove(tenant);
          }
        });
      }
    }
    return current == null ? intents : current.matcher();
  }

  /** The identity of the tenant's published article lists: a new list after every refresh. */
  private List<Integer> knowledgeVersion(String tenant) {
    List<Integer> version = new ArrayList<>();
    for (Language lang : Language.values()) {
      version.add(System.identityHashCode(knowledge.publishedArticles(tenant, lang)));
    }
    return version;
  }

  @Override
  public void prepare(String tenant) {
    if (intents.classifier().isEmpty() || !knowledge.ready(tenant)) {
      return;
    }
    List<Integer> version = knowledgeVersion(tenant);
    IntentClassifier base = intents.classifier().get();
    List<String> emergencies = new ArrayList<>();
    List<String> questions = new ArrayList<>();
    for (Language lang : Language.values()) {
      for (Article a : knowledge.publishedArticles(tenant, lang)) {
        if (a.slug().equals(policy.emergencySlug())) {
          emergencies.addAll(a.content().questions());
        } else {
          questions.addAll(IntentClassifier.spread(a.content().questions()));
        }
        a.content().notCovered().forEach(n -> questions.addAll(n.questions()));
      }
    }
    IntentMatcher learned = intents.withClassifier(IntentClassifier.learn(base.examples(), emergencies,
        questions));
    tenantIntents.put(tenant, new TenantIntents(version, learned));
  }

  private record TenantIntents(List<Integer> version, IntentMatcher matcher) {
  }

  private LanguageDetector detector(String tenant) {
    return detectors.computeIfAbsent(tenant, t -> languageModel.detector(lang -> knowledge.vocabulary(t, lang)));
  }
}
