package org.civicbot.bot.language;

import org.civicbot.knowledge.Language;

/**
 * The language of one message and why: {@code score} above 0 leans Danish, below 0 English; {@code decided} is false
 * when the evidence was too weak and the conversation's language was kept.
 */
public record LanguageGuess(Language language, double score, boolean decided, String evidence) {
}
