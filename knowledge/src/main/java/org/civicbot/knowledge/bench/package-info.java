/** Benchmark commands that print quality figures; they are not tests. */
package org.civicbot.knowledge.bench;
