/**
 * Lucene analyzers for citizens' Danish and English: stemming, Scandinavian letter normalization (aa/ae/oe match
 * å/æ/ø), stop words that include question filler, and Danish compound splitting against the knowledge base's own
 * vocabulary.
 */
package org.civicbot.knowledge.analysis;
