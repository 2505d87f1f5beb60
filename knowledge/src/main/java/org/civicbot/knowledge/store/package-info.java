/** PostgreSQL persistence of tenants, articles and their revisions: the source of truth the index is built from. */
package org.civicbot.knowledge.store;
