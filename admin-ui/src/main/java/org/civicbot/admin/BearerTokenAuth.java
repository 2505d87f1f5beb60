package org.civicbot.admin;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Lets a request through only with {@code Authorization: Bearer <CIVICBOT_ADMIN_TOKEN>}; compares in constant time.
 * Without a configured token every admin request is refused.
 */
public final class BearerTokenAuth implements Handler<RoutingContext> {

  private final Optional<byte[]> token;

  public BearerTokenAuth(Optional<String> token) {
    this.token = token.filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (token.isEmpty()) {
      deny(ctx, "The admin API is disabled: no CIVICBOT_ADMIN_TOKEN is configured.");
      return;
    }
    String header = ctx.request().getHeader("authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      deny(ctx, "Send the admin token as \"Authorization: Bearer <token>\".");
      return;
    }
    byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(presented, token.get())) {
      deny(ctx, "The admin token is not valid.");
      return;
    }
    ctx.put("principal", "admin-token");
    ctx.next();
  }

  private static void deny(RoutingContext ctx, String message) {
    ctx.response().putHeader("www-authenticate", "Bearer realm=\"civicbot-admin\"");
    ctx.fail(401, new IllegalArgumentException(message));
  }
}
