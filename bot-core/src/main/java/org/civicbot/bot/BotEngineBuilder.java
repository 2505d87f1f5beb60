package org.civicbot.bot;

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
  KnowledgeBase knowledgeBase;
  ConversationStore conversations;
  IntentMatcher intents;
  BotTexts texts;
  PhoneTexts phoneTexts;
  LanguageDetector.LanguageModel languageModel;
  PolicySettings policy = PolicySettings.DEFAULTS;
  PiiRedactor redactor = new PiiRedactor();
  Language defaultLanguage = Language.DA;

  BotEngineBuilder() {
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

  /** Builds the engine; loads the bundled intents, texts and language model where none were given (blocking). */
  public BotEngine build() {
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
