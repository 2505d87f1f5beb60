/** The web chat channel: the chat API, its WebSocket push, rate limits, safe Markdown, and the widget's files. */
package org.civicbot.channels.web;
