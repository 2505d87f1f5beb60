/**
 * The people who run CivicBot: accounts per tenant with roles, password and token checks, sessions in PostgreSQL,
 * login throttling and the audit log. Everything an admin route needs to know who asks and what they may see.
 */
package org.civicbot.admin.staff;
