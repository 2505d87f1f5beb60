package org.civicbot.deploy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The chat API as the load benchmark calls it: non-blocking, so that a few threads keep hundreds of citizens waiting,
 * and every request given up after {@link #TIMEOUT_MS}, as a citizen would give up, with its connection closed so the
 * server sees it.
 */
final class ChatClient {
  static final long TIMEOUT_MS = 10_000;
  /** Room for every request an overloaded server can hold within the timeout at a few hundred a second. */
  static final int MAX_CONNECTIONS = 4096;

  /** A response to a request: its status, body and the engine's own time from {@code server-timing}, if told. */
  record Response(int status, Buffer body, Optional<String> serverTiming) {

    /** The engine's time in milliseconds from {@code server-timing: engine;dur=X}; NaN when it was not sent. */
    double engineMs() {
      return serverTiming.filter(t -> t.contains("dur="))
          .map(t -> Double.parseDouble(t.substring(t.indexOf("dur=") + 4).split("[,;]")[0].strip()))
          .orElse(Double.NaN);
    }

    String conversationId() {
      return new JsonObject(body).getString("id");
    }
  }

  private final HttpClient http;
  private final String url;

  ChatClient(Vertx vertx, String url) {
    this.url = url;
    this.http = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS))
        .build();
  }

  /** {@code POST /api/v1/conversations}, with the language when the citizen chose one. */
  Future<Response> start(Optional<String> lang) {
    JsonObject body = new JsonObject();
    lang.ifPresent(l -> body.put("lang", l));
    return post("/api/v1/conversations", body);
  }

  /** {@code POST /api/v1/conversations/{id}/messages}. */
  Future<Response> say(String conversationId, String text) {
    return post("/api/v1/conversations/" + conversationId + "/messages", new JsonObject().put("text", text));
  }

  /** What kind of failure a failed request had, as the report counts them. */
  static String failureKind(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return "timeout (" + TIMEOUT_MS / 1000 + " s)";
    }
    String message = failure.getMessage();
    return "connection error (" + (message == null ? failure.getClass().getSimpleName() : message) + ")";
  }

  Future<Void> close() {
    return http.close();
  }

  private Future<Response> post(String path, JsonObject body) {
    Call call = new Call();
    Future<Response> response = http.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setAbsoluteURI(url + path).putHeader("content-type", "application/json"))
        .compose(request -> {
          if (call.abandoned) {
            // the connection came from the pool after the citizen gave up: nothing to send
            request.reset();
            return Future.failedFuture(new TimeoutException());
          }
          call.request = request;
          return request.send(body.toBuffer()).compose(r -> r.body().map(b -> new Response(r.statusCode(), b,
              Optional.ofNullable(r.getHeader("server-timing")))));
        });
    return response.timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS).onFailure(e -> {
      if (e instanceof TimeoutException) {
        call.abandon();
      }
    });
  }

  /** One request's progress, so that a timeout can close its connection or stop it being sent. */
  private static final class Call {
    HttpClientRequest request;
    boolean abandoned;

    void abandon() {
      abandoned = true;
      if (request != null) {
        request.reset();
      }
    }
  }
}
