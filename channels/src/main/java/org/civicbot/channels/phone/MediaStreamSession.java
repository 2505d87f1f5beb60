package org.civicbot.channels.phone;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Base64;
import java.util.Optional;

/**
 * One call's Media Stream, Twilio's protocol only: JSON messages in ({@code connected}, {@code start}, {@code media},
 * {@code mark}, {@code dtmf}, {@code stop}), checked and turned into calls on a {@link PhoneCall}; messages out with the
 * stream's sid. A {@code start} is accepted only with the stream token of the signed voice webhook for the same call,
 * tenant and caller, used once; anything else closes the stream before anything is created. Malformed messages close
 * the stream with a WebSocket status that says why. Runs on the WebSocket's event-loop context.
 */
final class MediaStreamSession {
  private static final Logger LOG = LoggerFactory.getLogger(MediaStreamSession.class);
  private static final int MAX_PAYLOAD_BYTES = 16_000;

  private final PhoneLine line;
  private final ServerWebSocket ws;
  private String streamSid;
  private String callSid;
  private PhoneCall call;
  /** The start's token is being checked against the ledger. */
  private boolean authorizing;
  private boolean ended;

  MediaStreamSession(PhoneLine line, ServerWebSocket ws) {
    this.line = line;
    this.ws = ws;
  }

  void onText(String text) {
    if (ended) {
      return;
    }
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      protocolError(1007, "malformed JSON");
      return;
    }
    String event = message.getString("event", "");
    switch (event) {
      case "connected" -> { }
      case "start" -> onStart(message);
      case "media" -> onMedia(message);
      case "mark" -> onMark(message);
      case "dtmf" -> onDtmf(message);
      case "stop" -> end("caller hung up");
      default -> LOG.debug("Ignoring media stream event '{}'", event);
    }
  }

  private void onStart(JsonObject message) {
    if (call != null || authorizing) {
      protocolError(1008, "a second start");
      return;
    }
    JsonObject start = message.getJsonObject("start");
    JsonObject custom = start == null ? null : start.getJsonObject("customParameters", new JsonObject());
    streamSid = message.getString("streamSid", start == null ? null : start.getString("streamSid"));
    callSid = start == null ? null : start.getString("callSid");
    String tenant = custom == null ? null : custom.getString("tenant");
    if (streamSid == null || callSid == null || tenant == null || !line.tenantAvailable(tenant)) {
      protocolError(1008, "start without streamSid, callSid or a known tenant");
      return;
    }
    // the tenant and the caller's number come only from the signed voice webhook, through its token
    String claimedCaller = custom.getString("caller", "");
    String token = custom.getString("token");
    Optional<String> refusal = line.tokens.refusal(token, callSid, tenant, claimedCaller, line.clock.instant());
    if (refusal.isPresent()) {
      refuse(refusal.get());
      return;
    }
    authorizing = true;
    line.tokenLedger.use(token, line.clock.instant().plus(PhoneLine.STREAM_TOKEN_TTL)).onComplete(used -> {
      authorizing = false;
      if (ended) {
        return;
      }
      if (used.failed()) {
        LOG.warn("Call {}: the stream token could not be checked", callSid, used.cause());
        protocolError(1011, "the stream token could not be checked");
      } else if (!used.result()) {
        refuse("a stream token used before");
      } else {
        startCall(tenant, claimedCaller);
      }
    });
  }

  private void refuse(String reason) {
    LOG.warn("Refused media stream {} for call {}: {}", streamSid, callSid, reason);
    callSid = null;
    protocolError(1008, "stream not authorized: " + reason);
  }

  private void startCall(String tenant, String claimedCaller) {
    call = new PhoneCall(line, line.vertx.getOrCreateContext(), tenant, callSid,
        claimedCaller.isEmpty() ? Optional.empty() : Optional.of(claimedCaller), this::send, this::hangUp);
    line.started(callSid, tenant);
    call.begin().onFailure(e -> {
      LOG.warn("Call {} could not start its conversation", callSid, e);
      protocolError(1011, "could not start the conversation");
    });
  }

  private void onMedia(JsonObject message) {
    if (authorizing) {
      // the start is being checked: its first frames are dropped, not refused
      return;
    }
    if (call == null) {
      protocolError(1008, "media before start");
      return;
    }
    JsonObject media = message.getJsonObject("media");
    String payload = media == null ? null : media.getString("payload");
    if (payload == null || payload.length() > MAX_PAYLOAD_BYTES * 4 / 3 + 4) {
      protocolError(1008, "media without a usable payload");
      return;
    }
    if (!media.getString("track", "inbound").startsWith("inbound")) {
      return;
    }
    byte[] ulaw;
    try {
      ulaw = Base64.getDecoder().decode(payload);
    } catch (IllegalArgumentException e) {
      protocolError(1007, "media payload is not base64");
      return;
    }
    call.heard(ulaw);
  }

  private void onMark(JsonObject message) {
    JsonObject mark = message.getJsonObject("mark");
    String name = mark == null ? null : mark.getString("name");
    if (call != null && name != null) {
      call.marked(name);
    }
  }

  private void onDtmf(JsonObject message) {
    JsonObject dtmf = message.getJsonObject("dtmf");
    String digit = dtmf == null ? "" : dtmf.getString("digit", "");
    if (call != null) {
      call.pressed(digit);
    }
  }

  private void send(JsonObject message) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(message.put("streamSid", streamSid).encode());
    }
  }

  private void hangUp(String reason) {
    end(reason);
    if (!ws.isClosed()) {
      ws.close((short) 1000, reason);
    }
  }

  /** Closes the stream after a protocol error; the call's other sessions and the stored conversation are unaffected. */
  void protocolError(int code, String reason) {
    LOG.warn("Media stream {} of call {} closed: {}", streamSid, callSid, reason);
    end("stream error: " + reason);
    if (!ws.isClosed()) {
      ws.close((short) code, reason);
    }
  }

  /** The WebSocket closed (a stop, a hang-up, a network failure). */
  void closed() {
    if (!ended) {
      LOG.info("Call {}: stream closed by Twilio ({} {})", callSid, ws.closeStatusCode(), ws.closeReason());
    }
    end(call != null && call.transferring() ? "transferred" : "stream closed");
  }

  private void end(String reason) {
    if (ended) {
      return;
    }
    ended = true;
    if (call != null) {
      call.end(reason);
      line.ended(callSid);
    }
  }
}
