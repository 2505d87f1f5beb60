package org.civicbot.deploy;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Real HTTP requests to a CivicBot running in the test. */
final class HttpTestClient {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  HttpTestClient(int port) {
    this.port = port;
  }

  /** Status, body and headers of a response. */
  record Response(int status, String body, HttpHeaders headers) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  Response get(String path) {
    return get(path, Map.of());
  }

  Response get(String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
    headers.forEach(request::header);
    return send(request.build());
  }

  /** POST of a raw body as application/json. */
  Response post(String path, String body) {
    return post(path, body, Map.of("content-type", "application/json"));
  }

  Response post(String path, JsonObject body) {
    return post(path, body.encode());
  }

  Response post(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return send(request.build());
  }

  private Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
