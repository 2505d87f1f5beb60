/** Conversations as append-only event logs in PostgreSQL, one lock per conversation, and how they resolve. */
package org.civicbot.bot.conversation;
