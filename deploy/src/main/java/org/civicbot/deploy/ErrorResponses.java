package org.civicbot.deploy;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every failure becomes the same JSON body {@code {"error": code, "message": text}}; never a stack trace. */
final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {
  }

  static void handleFailure(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path != null && path.startsWith("/admin/") && !ctx.response().headWritten()) {
      // the staff pages answer with a page of their own (StaffRoutes)
      ctx.next();
      return;
    }
    int status = ctx.statusCode();
    Throwable failure = ctx.failure();
    if (failure instanceof IllegalArgumentException && status < 400) {
      status = 400;
    }
    if (status < 400) {
      status = 500;
    }
    if (status == 503) {
      // busy, not broken: a conversation held too long by other turns, or a turn past its deadline
      LOG.warn("Request {} {} answered 503: {}", ctx.request().method(), ctx.request().path(),
          failure == null ? "unavailable" : failure.toString());
      if (ctx.response().headers().get("retry-after") == null && !ctx.response().headWritten()) {
        ctx.response().putHeader("retry-after", "2");
      }
      send(ctx, 503, "busy", "CivicBot is busy right now. Please try again in a moment.");
      return;
    }
    if (status >= 500) {
      LOG.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      send(ctx, status, "internal_error", "Something went wrong on our side. Please try again.");
      return;
    }
    // Handlers fail with IllegalArgumentException for messages meant for the client; other exceptions' messages
    // may describe internals and are replaced by a generic text.
    boolean clientMessage = failure instanceof IllegalArgumentException && failure.getMessage() != null;
    String message = clientMessage ? failure.getMessage() : switch (status) {
      case 413 -> "The request body is too large.";
      case 404 -> "Not found.";
      case 405 -> "Method not allowed.";
      case 429 -> "Too many requests. Please wait a moment and try again.";
      default -> "Bad request.";
    };
    send(ctx, status, code(status), message);
  }

  static void send(RoutingContext ctx, int status, String error, String message) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      return;
    }
    ctx.response().setStatusCode(status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", error).put("message", message).encode());
  }

  private static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 409 -> "conflict";
      case 415 -> "unsupported_media_type";
      case 429 -> "too_many_requests";
      default -> "error";
    };
  }
}
