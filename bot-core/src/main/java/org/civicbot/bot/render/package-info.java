/** Answers as the citizen sees them: Markdown rendered to sanitized HTML, shared by the widget and the staff preview. */
package org.civicbot.bot.render;
