/**
 * The Lucene index of one tenant's published articles in one language: article fields with their own weights,
 * one document per phrasing with its dense vector (HNSW), and the bookkeeping that says whether it is stale.
 */
package org.civicbot.knowledge.index;
