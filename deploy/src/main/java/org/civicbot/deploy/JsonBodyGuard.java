package org.civicbot.deploy;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/**
 * Refuses a JSON body nested deeper than any request of CivicBot's APIs needs, before anything parses it: a parser
 * recursing into thousands of brackets costs stack and time for nothing. Bodies of other types pass untouched.
 */
final class JsonBodyGuard {
  /** The deepest nesting a request body may have; CivicBot's own requests need 3. */
  static final int MAX_DEPTH = 32;

  private JsonBodyGuard() {
  }

  static void check(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    boolean json = type == null || type.toLowerCase(Locale.ROOT).contains("json");
    Buffer body = ctx.body().buffer();
    if (json && body != null && depth(body) > MAX_DEPTH) {
      ErrorResponses.send(ctx, 400, "bad_request", "The request body is nested too deeply (more than " + MAX_DEPTH
          + " levels).");
      return;
    }
    ctx.next();
  }

  /** The deepest nesting of brackets and braces outside strings. */
  static int depth(Buffer body) {
    int depth = 0;
    int deepest = 0;
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '[' || b == '{') {
        deepest = Math.max(deepest, ++depth);
      } else if (b == ']' || b == '}') {
        depth--;
      }
    }
    return deepest;
  }
}
