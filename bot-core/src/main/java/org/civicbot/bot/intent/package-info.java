/** Special intents (a person please, emergency, greeting, thanks, goodbye, yes, no) from editable phrase lists. */
package org.civicbot.bot.intent;
