package org.civicbot.deploy;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A staff member's browser without the browser: keeps the cookies the server sets (also Secure ones, over the test's
 * plain http; {@link #setCookies} records their attributes for the tests that check them) and sends the CSRF token
 * as a browser form would. Redirects are not followed, so tests see them.
 */
final class StaffClient {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final int port;
  private final Map<String, String> cookies = new LinkedHashMap<>();
  final List<String> setCookies = new ArrayList<>();

  StaffClient(int port) {
    this.port = port;
  }

  HttpTestClient.Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), Map.of());
  }

  /** A form post with the CSRF token, as the app's forms send it. */
  HttpTestClient.Response postForm(String path, Map<String, String> form) {
    Map<String, String> withToken = new LinkedHashMap<>(form);
    withToken.putIfAbsent("X-XSRF-TOKEN", csrf());
    return postFormRaw(path, withToken);
  }

  /** A form post of key-value pairs (a key may repeat, as checkboxes send it) with the CSRF token. */
  HttpTestClient.Response postPairs(String path, String... keysAndValues) {
    StringBuilder body = new StringBuilder("X-XSRF-TOKEN=" + enc(csrf()));
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      body.append('&').append(enc(keysAndValues[i])).append('=').append(enc(keysAndValues[i + 1]));
    }
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body.toString())),
        Map.of("content-type", "application/x-www-form-urlencoded"));
  }

  /** A form post exactly as given (no token added). */
  HttpTestClient.Response postFormRaw(String path, Map<String, String> form) {
    String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)),
        Map.of("content-type", "application/x-www-form-urlencoded"));
  }

  /** A JSON request with the session cookie; {@code csrfHeader} as htmx sends it. */
  HttpTestClient.Response json(String method, String path, JsonObject body, boolean csrfHeader) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    if (csrfHeader) {
      headers.put("X-XSRF-TOKEN", csrf());
    }
    return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.ofString(body.encode())),
        headers);
  }

  /** Opens the login page (for the session and token), then logs in; returns the login's response. */
  HttpTestClient.Response login(String email, String password) {
    get("/admin/login");
    return postForm("/admin/login", Map.of("email", email, "password", password, "next", "/admin/"));
  }

  String csrf() {
    if (!cookies.containsKey("civicbot-xsrf")) {
      get("/admin/");
    }
    return cookies.getOrDefault("civicbot-xsrf", "");
  }

  boolean hasCookie(String name) {
    return cookies.containsKey(name);
  }

  private HttpTestClient.Response send(HttpRequest.Builder request, Map<String, String> headers) {
    // a publish rebuilds the tenant's whole index before it answers (seconds; more while earlier publishes still
    // retrain the answer model on a busy 2-core CI machine): the wait is long, the tests assert no time
    request.timeout(Duration.ofSeconds(180));
    headers.forEach(request::header);
    if (!cookies.isEmpty()) {
      request.header("cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("; ")));
    }
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      for (String set : response.headers().allValues("set-cookie")) {
        setCookies.add(set);
        String pair = set.split(";", 2)[0];
        int eq = pair.indexOf('=');
        String name = pair.substring(0, eq).strip();
        String value = pair.substring(eq + 1).strip();
        if (value.isEmpty() || set.toLowerCase().contains("max-age=0")) {
          cookies.remove(name);
        } else {
          cookies.put(name, value);
        }
      }
      return new HttpTestClient.Response(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
