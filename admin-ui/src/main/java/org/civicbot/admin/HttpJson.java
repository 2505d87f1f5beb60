package org.civicbot.admin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.bot.privacy.CitizenText;

import java.util.Optional;

/** Reading and writing the admin API's JSON: one place for what a bad body answers. */
public final class HttpJson {

  private HttpJson() {
  }

  /** The body as a JSON object (an empty body is an empty object); fails the request with 400 otherwise. */
  public static Optional<JsonObject> body(RoutingContext ctx) {
    try {
      Optional<JsonObject> parsed = ctx.body().isEmpty() ? Optional.of(new JsonObject())
          : Optional.ofNullable(ctx.body().asJsonObject());
      if (parsed.isPresent()) {
        return parsed;
      }
    } catch (DecodeException | ClassCastException e) {
      // answered below
    }
    ctx.fail(400, new IllegalArgumentException("The request body is not a valid JSON object."));
    return Optional.empty();
  }

  public static void send(RoutingContext ctx, int status, Object json) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(json instanceof JsonObject o ? o.encode() : io.vertx.core.json.Json.encode(json));
  }

  public static void send(RoutingContext ctx, Object json) {
    send(ctx, 200, json);
  }

  /** A short name or id a staff tool sends: at most 200 characters, no control characters (PostgreSQL refuses NUL). */
  public static boolean plain(String value) {
    return value.length() <= 200 && CitizenText.withoutControls(value).equals(value) && value.indexOf('\n') < 0
        && value.indexOf('\t') < 0;
  }
}
