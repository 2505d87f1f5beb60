/**
 * The editors' side: articles as JSON (validated field by field), revisions and their differences, and the content
 * gaps (the citizens' questions the bot could not answer) grouped by meaning.
 */
package org.civicbot.admin.content;
