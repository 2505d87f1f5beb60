/**
 * The conversation engine: one {@link org.civicbot.bot.InboundMessage} in, one {@link org.civicbot.bot.BotReply}
 * out, whatever the channel. Redaction, language, special intents, retrieval, policy, composition and the stored
 * event log with a decision trace per turn.
 */
package org.civicbot.bot;
