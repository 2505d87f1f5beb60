package org.civicbot.channels.phone;

import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * What a call can have Twilio do, through its REST API: put the live call through to the human queue, hang it up,
 * text the caller. Without the REST API (no account SID) or a queue number these fail, and the dialogue falls back
 * (a callback offer, when to call again).
 */
final class CallControl {
  private final Optional<TwilioCalls> calls;
  private final Optional<String> transferNumber;
  private final String callSid;

  CallControl(Optional<TwilioCalls> calls, Optional<String> transferNumber, String callSid) {
    this.calls = calls;
    this.transferNumber = transferNumber;
    this.callSid = callSid;
  }

  /** Replaces the call's stream with a {@code <Dial>} to the human queue. */
  Future<Void> transfer() {
    if (calls.isEmpty() || transferNumber.isEmpty()) {
      return Future.failedFuture(new IllegalStateException("no human queue number or no Twilio REST API"));
    }
    return calls.get().updateCall(callSid, new VoiceResponse.Builder()
        .dial(new Dial.Builder(transferNumber.get()).build()).build().toXml());
  }

  /** Ends the call. */
  Future<Void> hangUp() {
    if (calls.isEmpty()) {
      return Future.succeededFuture();
    }
    return calls.get().updateCall(callSid, new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build()
        .toXml());
  }

  /** Texts {@code body} to {@code to}. */
  Future<Void> sendSms(String to, String body) {
    if (calls.isEmpty()) {
      return Future.failedFuture(new IllegalStateException("no Twilio REST API"));
    }
    return calls.get().sendSms(to, body);
  }
}
