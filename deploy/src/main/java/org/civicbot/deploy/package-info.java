/** The composition root: configuration, startup and shutdown, the HTTP server and the command line. */
package org.civicbot.deploy;
