package org.civicbot.channels.phone;

import io.vertx.core.Future;

/** What the phone line asks of Twilio's REST API during a call. */
public interface TwilioCalls {

  /** Replaces what the live call {@code callSid} does with {@code twiml} (a transfer, a hang-up). */
  Future<Void> updateCall(String callSid, String twiml);

  /** Sends a text message to {@code to}. */
  Future<Void> sendSms(String to, String body);
}
