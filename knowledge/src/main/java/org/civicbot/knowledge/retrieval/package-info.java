/**
 * Hybrid retrieval: fuses the index's lexical, coverage and vector signals into one ranking and one confidence, keeps
 * every signal so a decision can be explained later, and offers itself as a langchain4j {@code ContentRetriever}.
 */
package org.civicbot.knowledge.retrieval;
