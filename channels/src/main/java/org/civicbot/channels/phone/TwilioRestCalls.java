package org.civicbot.channels.phone;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.net.URL;
import java.util.Optional;

/**
 * {@link TwilioCalls} through the Twilio Java SDK. The SDK's calls block, so they run on a small worker pool. An
 * operator (or a test's Twilio simulator) may send the REST calls to another base URL than {@code https://api.twilio.com}.
 */
public final class TwilioRestCalls implements TwilioCalls {
  private final TwilioRestClient client;
  private final Optional<String> smsFrom;
  private final WorkerExecutor workers;

  public TwilioRestCalls(Vertx vertx, String accountSid, String authToken, Optional<String> smsFrom,
                         Optional<String> apiBaseUrl) {
    TwilioRestClient.Builder builder = new TwilioRestClient.Builder(accountSid, authToken).accountSid(accountSid);
    apiBaseUrl.ifPresent(base -> builder.httpClient(new RebasedHttpClient(base)));
    this.client = builder.build();
    this.smsFrom = smsFrom;
    this.workers = vertx.createSharedWorkerExecutor("civicbot-twilio", 4);
  }

  @Override
  public Future<Void> updateCall(String callSid, String twiml) {
    return workers.<Void>executeBlocking(() -> {
      Call.updater(callSid).setTwiml(new Twiml(twiml)).update(client);
      return null;
    }, false).recover(TwilioRestCalls::explain);
  }

  @Override
  public Future<Void> sendSms(String to, String body) {
    if (smsFrom.isEmpty()) {
      return Future.failedFuture(new IllegalStateException("no sender number for text messages is configured"));
    }
    return workers.<Void>executeBlocking(() -> {
      Message.creator(new PhoneNumber(to), new PhoneNumber(smsFrom.get()), body).create(client);
      return null;
    }, false).recover(TwilioRestCalls::explain);
  }

  private static Future<Void> explain(Throwable e) {
    if (e instanceof ApiException api) {
      return Future.failedFuture(new IllegalStateException("Twilio refused the request: " + api.getStatusCode()
          + " " + api.getMessage(), e));
    }
    return Future.failedFuture(e);
  }

  /** Sends the SDK's requests to another base URL, keeping path, parameters and authentication. */
  private static final class RebasedHttpClient extends HttpClient {
    private final NetworkHttpClient network = new NetworkHttpClient();
    private final String base;

    RebasedHttpClient(String base) {
      this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @Override
    public Response makeRequest(Request original) {
      URL url = original.constructURL();
      Request rebased = new Request(original.getMethod(), base + url.getPath());
      original.getQueryParams().forEach((k, values) -> values.forEach(v -> rebased.addQueryParam(k, v)));
      original.getPostParams().forEach((k, values) -> values.forEach(v -> rebased.addPostParam(k, v)));
      original.getHeaderParams().forEach((k, values) -> values.forEach(v -> rebased.addHeaderParam(k, v)));
      rebased.setAuth(original.getUsername(), original.getPassword());
      return network.makeRequest(rebased);
    }
  }
}
