package org.civicbot.knowledge.decision;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/**
 * Logistic regression over {@link AnswerFeatures}: the probability that a candidate is the right answer, and the
 * probability from which the best candidate is given as the answer. Immutable and thread-safe.
 *
 * @param weights       one per feature
 * @param threshold     the answer probability learned with the weights
 * @param leadThreshold a lower answer probability, enough when the best candidate is at least {@code leadRatio} times
 *                      as probable as the next one (a clear winner of a long or unusual question)
 * @param leadRatio     how clearly the best must lead for {@code leadThreshold}; 0 when there is no lead rule
 * @param source        how the model came about ("learned from 2,310 questions", "default")
 */
public record AnswerModel(double[] weights, double threshold, double leadThreshold, double leadRatio,
                          String source) {

  /**
   * The model used before one is learned (and for a knowledge base too small to learn from): weights learned on the
   * sample knowledge base, rounded.
   */
  public static final AnswerModel DEFAULT = new AnswerModel(new double[] {
      -6.3, 2.2, 1.55, 1.0, 0.9, 1.6, 1.4, 0.85, 0.5, -0.37, -0.92, 0.78, -0.87, 1.45, 0, 0}, 0.26, "default");

  /** A model without a lead rule. */
  public AnswerModel(double[] weights, double threshold, String source) {
    this(weights, threshold, threshold, 0, source);
  }

  public AnswerModel {
    if (!(leadThreshold > 0 && leadThreshold <= threshold) || !(leadRatio == 0 || leadRatio >= 1)) {
      throw new IllegalArgumentException("lead threshold must be in (0, threshold] and lead ratio 0 or at least 1, but"
          + " were " + leadThreshold + " and " + leadRatio);
    }
    if (weights.length != AnswerFeatures.SIZE) {
      throw new IllegalArgumentException("an answer model needs " + AnswerFeatures.SIZE + " weights, but has "
          + weights.length);
    }
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("answer threshold must be between 0 and 1, but was " + threshold);
    }
    weights = weights.clone();
  }

  public double probability(double[] features) {
    double z = 0;
    for (int i = 0; i < weights.length; i++) {
      z += weights[i] * features[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /** The answer probability a question needs whose best candidate has {@code best} and the next {@code next}. */
  public double threshold(double best, double next) {
    return leadRatio > 0 && best >= leadThreshold && best >= leadRatio * next ? leadThreshold : threshold;
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  public JsonObject toJson() {
    JsonObject w = new JsonObject();
    for (int i = 0; i < weights.length; i++) {
      w.put(AnswerFeatures.NAMES.get(i), Math.round(weights[i] * 10_000) / 10_000.0);
    }
    return new JsonObject().put("weights", w).put("threshold", threshold).put("leadThreshold", leadThreshold)
        .put("leadRatio", leadRatio).put("source", source);
  }

  /** Reads {@link #toJson()}; weights missing by name count as 0. */
  public static AnswerModel fromJson(JsonObject json) {
    JsonObject w = json.getJsonObject("weights");
    double[] weights = new double[AnswerFeatures.SIZE];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = w.getDouble(AnswerFeatures.NAMES.get(i), 0.0);
    }
    double threshold = json.getDouble("threshold");
    return new AnswerModel(weights, threshold, json.getDouble("leadThreshold", threshold),
        json.getDouble("leadRatio", 0.0), json.getString("source", "stored"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AnswerModel m && Arrays.equals(weights, m.weights) && threshold == m.threshold
        && leadThreshold == m.leadThreshold && leadRatio == m.leadRatio && source.equals(m.source);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weights) * 31 + Double.hashCode(threshold);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
