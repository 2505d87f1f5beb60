/** The authenticated admin API and (later) the web application for editors, agents and managers. */
package org.civicbot.admin;
