package org.civicbot.bot.policy;

/**
 * Thresholds of the dialogue policy; the answer threshold itself belongs to retrieval (RetrievalSettings).
 *
 * @param clarifyMargin      ask which was meant when the runner-up's ranking score is within this share of the
 *                           best's and the runner-up is confident too (0 disables clarification)
 * @param maxOptions         how many candidates a clarification offers (2 or 3)
 * @param suggestFloor       on a fallback, candidates at least this confident are offered as suggestions
 * @param followUpMaxWords   a message with at most this many content words may continue the previous topic
 * @param followUpAmbiguity  a short message is read in the context of the previous answer when on its own it is not
 *                           confident, or its runner-up scores at least this share of its best (nothing stands out)
 * @param fallbacksBeforeOffer after this many fallbacks in a row the reply offers a person
 * @param emergencySlug      the article answered first whenever a message mentions an emergency
 * @param maxMessages        a conversation answers this many of the citizen's messages; the next one ends it politely
 *                           (an endless conversation is a script, and it would grow without bound)
 */
public record PolicySettings(double clarifyMargin, int maxOptions, double suggestFloor, int followUpMaxWords,
                             double followUpAmbiguity, int fallbacksBeforeOffer, String emergencySlug,
                             int maxMessages) {

  public static final PolicySettings DEFAULTS = new PolicySettings(0.04, 3, 0.35, 6, 0.8, 2, "emergency", 200);

  public PolicySettings {
    if (clarifyMargin < 0 || clarifyMargin >= 1) {
      throw new IllegalArgumentException("clarifyMargin must be in [0, 1), but was " + clarifyMargin);
    }
    if (maxOptions < 2 || maxOptions > 5) {
      throw new IllegalArgumentException("maxOptions must be between 2 and 5, but was " + maxOptions);
    }
    if (fallbacksBeforeOffer < 1) {
      throw new IllegalArgumentException("fallbacksBeforeOffer must be at least 1, but was " + fallbacksBeforeOffer);
    }
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be at least 1, but was " + maxMessages);
    }
  }

  public PolicySettings withClarifyMargin(double margin) {
    return new PolicySettings(margin, maxOptions, suggestFloor, followUpMaxWords, followUpAmbiguity,
        fallbacksBeforeOffer, emergencySlug, maxMessages);
  }

  public PolicySettings withMaxMessages(int messages) {
    return new PolicySettings(clarifyMargin, maxOptions, suggestFloor, followUpMaxWords, followUpAmbiguity,
        fallbacksBeforeOffer, emergencySlug, messages);
  }
}
