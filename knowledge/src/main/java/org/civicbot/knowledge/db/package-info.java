/**
 * Database startup and schema: an embedded PostgreSQL under the data directory (or an external server),
 * versioned Flyway migrations, and the Vert.x reactive pool every module uses.
 *
 * <p>It lives in the lowest module because every module's tests need the same real database.
 */
package org.civicbot.knowledge.db;
