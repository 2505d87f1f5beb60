/** Danish or English, per message, also for one-word messages. */
package org.civicbot.bot.language;
