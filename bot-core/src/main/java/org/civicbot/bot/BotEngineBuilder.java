package org.civicbot.bot;

import org.civicbot.bot.handoff.StaffedHours;
import java.time.Clock;
import io.vertx.core.Vertx;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.intent.IntentMatcher;
import org.civicbot.bot.language.LanguageDetector;
import org.civicbot.bot.policy.PolicySettings;
import org.civicbot.bot.privacy.PiiRedactor;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.Language;

import java.util.Objects;

/** Assembles a {@link BotEngine}; the knowledge base and conversation store are required, the rest has defaults. */
public final class BotEngineBuilder {
  Vertx vertx;
  int turnThreads = Runtime.getRuntime().availableProcessors();
  KnowledgeBase knowledgeBase;
  ConversationStore conversations;
  IntentMatcher intents;
  BotTexts texts;
  PhoneTexts phoneTexts;
  LanguageDetector.LanguageModel languageModel;
  PolicySettings policy = PolicySettings.DEFAULTS;
  PiiRedactor redactor = new PiiRedactor();
  Language defaultLanguage = Language.DA;
  StaffedHours staffedHours;
  Clock clock = Clock.systemUTC();

  BotEngineBuilder() {
  }

  /** The Vert.x whose worker threads run the turns' CPU work (required). */
  public BotEngineBuilder vertx(Vertx vertx) {
    this.vertx = vertx;
    return this;
  }

  /** How many turns are decided at once (default: one per core; the work is CPU-bound). */
  public BotEngineBuilder turnThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("turnThreads must be at least 1, but was " + threads);
    }
    this.turnThreads = threads;
    return this;
  }

  public BotEngineBuilder knowledgeBase(KnowledgeBase knowledgeBase) {
    this.knowledgeBase = knowledgeBase;
    return this;
  }

  public BotEngineBuilder conversations(ConversationStore conversations) {
    this.conversations = conversations;
    return this;
  }

  public BotEngineBuilder intents(IntentMatcher intents) {
    this.intents = intents;
    return this;
  }

  public BotEngineBuilder texts(BotTexts texts) {
    this.texts = texts;
    return this;
  }

  /** What the engine says on the phone beyond its texts (offers, prompts); the bundled ones when not given. */
  public BotEngineBuilder phoneTexts(PhoneTexts phoneTexts) {
    this.phoneTexts = phoneTexts;
    return this;
  }

  /** The loaded language model, to share it between engines (tests); loaded on build when not given. */
  public BotEngineBuilder languageModel(LanguageDetector.LanguageModel languageModel) {
    this.languageModel = languageModel;
    return this;
  }

  public BotEngineBuilder policy(PolicySettings policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  public BotEngineBuilder defaultLanguage(Language defaultLanguage) {
    this.defaultLanguage = Objects.requireNonNull(defaultLanguage, "defaultLanguage");
    return this;
  }

  /**
   * When people answer each tenant's queue: outside them a web citizen who asks for a person is told when they are
   * back and offered to leave a message. Without it, someone is always in.
   */
  public BotEngineBuilder staffedHours(StaffedHours staffedHours) {
    this.staffedHours = staffedHours;
    return this;
  }

  /** The time of day for opening hours (default: the system clock). */
  public BotEngineBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Builds the engine; loads the bundled intents, texts and language model where none were given (blocking). */
  public BotEngine build() {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(knowledgeBase, "knowledgeBase");
    Objects.requireNonNull(conversations, "conversations");
    if (intents == null) {
      intents = IntentMatcher.bundled();
    }
    if (texts == null) {
      texts = BotTexts.bundled();
    }
    if (phoneTexts == null) {
      phoneTexts = PhoneTexts.bundled();
    }
    if (languageModel == null) {
      languageModel = LanguageDetector.loadModel();
    }
    return new DefaultBotEngine(this);
  }
}
