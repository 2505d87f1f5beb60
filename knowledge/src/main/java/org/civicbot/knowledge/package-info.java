/**
 * The curated knowledge base: articles in Danish and English, their revisions and publishing, the Lucene index and
 * the hybrid retriever that answers "which article fits this question, and how sure are we".
 */
package org.civicbot.knowledge;
