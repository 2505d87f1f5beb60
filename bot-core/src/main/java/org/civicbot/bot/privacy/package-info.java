/** Personal data never reaches storage, logs or retrieval: it is redacted at the engine's door. */
package org.civicbot.bot.privacy;
