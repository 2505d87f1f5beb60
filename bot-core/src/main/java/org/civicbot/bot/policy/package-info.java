/** The thresholds of the dialogue policy: when to answer, ask which was meant, fall back or offer a person. */
package org.civicbot.bot.policy;
