/** Getting a citizen to a person: when staff are in ({@link org.civicbot.bot.handoff.OpeningHours}) and the callbacks
 * requested when they are not ({@link org.civicbot.bot.handoff.CallbackQueue}). */
package org.civicbot.bot.handoff;
