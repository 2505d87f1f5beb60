/**
 * The staff web app under {@code /admin/}: server-rendered Pebble pages (autoescaped), htmx for partial updates,
 * Danish and English, one page per task (log in, articles, content gaps, test console, concept lists, audit log).
 */
package org.civicbot.admin.web;
