package org.civicbot.channels.phone;

import com.twilio.security.RequestValidator;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Connect;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Stream;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.handoff.CallbackRequest;
import org.civicbot.bot.conversation.ConversationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Twilio's HTTP webhooks: {@code POST /twilio/voice} answers an incoming call with TwiML that connects a bidirectional
 * Media Stream, and {@code POST /twilio/status} records call status callbacks. Every request must carry a valid
 * {@code X-Twilio-Signature} for the auth token; anything else gets 403 and changes nothing.
 */
public final class TwilioWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhooks.class);
  private static final Set<String> FINAL_STATUSES = Set.of("completed", "busy", "failed", "no-answer", "canceled");
  private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final PhoneSettings settings;
  private final RequestValidator validator;
  private final BotEngine engine;
  private final ConversationStore conversations;
  private final Predicate<String> tenantAvailable;
  private final StreamToken tokens;
  private final Clock clock;

  public TwilioWebhooks(PhoneSettings settings, RequestValidator validator, BotEngine engine,
                        ConversationStore conversations, Predicate<String> tenantAvailable, StreamToken tokens,
                        Clock clock) {
    this.settings = settings;
    this.validator = validator;
    this.engine = engine;
    this.conversations = conversations;
    this.tenantAvailable = tenantAvailable;
    this.tokens = tokens;
    this.clock = clock;
  }

  /** Mounts the webhooks; expects the body handler before them (Twilio posts forms). */
  public void mount(Router router) {
    router.post("/twilio/voice").handler(this::signed).handler(this::voice);
    router.post("/twilio/status").handler(this::signed).handler(this::status);
  }

  /** Lets a request through only with Twilio's signature over the public URL and the form parameters. */
  private void signed(RoutingContext ctx) {
    String signature = ctx.request().getHeader("X-Twilio-Signature");
    String url = settings.publicBaseUrl() + ctx.request().uri();
    Map<String, String> params = new HashMap<>();
    MultiMap form = ctx.request().formAttributes();
    form.names().forEach(name -> params.put(name, form.get(name)));
    if (signature == null || !validator.validate(url, params, signature)) {
      LOG.warn("Refused a Twilio webhook to {} with a {} signature", ctx.request().path(),
          signature == null ? "missing" : "wrong");
      ctx.fail(403, new IllegalArgumentException("The request does not carry a valid Twilio signature."));
      return;
    }
    ctx.next();
  }

  private void voice(RoutingContext ctx) {
    String callSid = ctx.request().getFormAttribute("CallSid");
    String tenant = ctx.request().getParam("tenant", settings.defaultTenant());
    if (callSid == null || callSid.isBlank() || !TENANT.matcher(tenant).matches() || !tenantAvailable.test(tenant)) {
      ctx.fail(400, new IllegalArgumentException(callSid == null || callSid.isBlank() ? "CallSid is missing."
          : "Unknown tenant '" + tenant + "'."));
      return;
    }
    Stream.Builder stream = new Stream.Builder().url(settings.mediaStreamUrl())
        .parameter(new Parameter.Builder().name("tenant").value(tenant).build())
        .parameter(new Parameter.Builder().name("callSid").value(callSid).build());
    String from = ctx.request().getFormAttribute("From");
    String caller = CallbackRequest.isPhoneNumber(from) ? from : "";
    if (!caller.isEmpty()) {
      // held by the call's session, to text an answer or call back when the caller asks; stored only for a callback
      stream.parameter(new Parameter.Builder().name("caller").value(caller).build());
    }
    // binds the stream to this signed webhook: CallSid, tenant and caller cannot be changed or the token reused
    stream.parameter(new Parameter.Builder().name("token")
        .value(tokens.issue(callSid, tenant, caller, clock.instant().plus(PhoneLine.STREAM_TOKEN_TTL))).build());
    String twiml = new VoiceResponse.Builder()
        .connect(new Connect.Builder().stream(stream.build()).build())
        .build().toXml();
    LOG.info("Incoming call {} for tenant {}", callSid, tenant);
    ctx.response().putHeader("content-type", "text/xml; charset=utf-8").end(twiml);
  }

  private void status(RoutingContext ctx) {
    String callSid = ctx.request().getFormAttribute("CallSid");
    String status = ctx.request().getFormAttribute("CallStatus");
    if (callSid == null || status == null) {
      ctx.fail(400, new IllegalArgumentException("CallSid and CallStatus are required."));
      return;
    }
    LOG.info("Call {} status {}", callSid, status);
    if (FINAL_STATUSES.contains(status)) {
      conversations.findByExternalId(MediaStreamSession.CHANNEL, callSid)
          .compose(found -> {
            io.vertx.core.Future<Void> all = io.vertx.core.Future.succeededFuture();
            for (var c : found) {
              if (c.endedAt().isEmpty()) {
                all = all.compose(v -> engine.end(c.id(), "call " + status));
              }
            }
            return all;
          })
          .onFailure(e -> LOG.warn("Could not end the conversation of call {}", callSid, e));
    }
    ctx.response().setStatusCode(204).end();
  }
}
