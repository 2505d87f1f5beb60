/**
 * The answer decision: the probability that a ranked article is the right answer to a question, from features that
 * do not grow with the question's length, learned per tenant and language from the knowledge base itself (its
 * phrasings held out in turn, with and without their own article, and its not-covered examples).
 */
package org.civicbot.knowledge.decision;
