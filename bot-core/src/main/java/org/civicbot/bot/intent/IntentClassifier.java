package org.civicbot.bot.intent;

import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.decision.OffTopicQuestions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The special intents as a classifier learned from labelled examples (see {@code civicbot/intent-examples.yaml}):
 * softmax regression over hashed word, word-pair and letter n-gram features of the folded text, with a class
 * {@code none} for ordinary questions and harmless near misses.
 * Both languages share one model: the features carry the language. Learned at startup in a fraction of a second,
 * deterministically (fixed seed). Immutable and thread-safe.
 */
public final class IntentClassifier {

  static final int DIMENSION = 1 << 18;
  private static final int EPOCHS = 10;
  private static final double LEARNING_RATE = 0.2;
  private static final double L2 = 1e-4;
  private static final long SEED = 20261201L;
  static final int PHRASINGS_PER_ARTICLE = 5;
  static final int SHORT_PHRASING_WORDS = 5;

  /** One labelled example: its intent (null for none) and text. */
  public record Example(Intent intent, String text) {
  }

  private final List<Intent> classes;
  private final float[][] weights;
  private final double[] bias;
  private final List<Example> source;

  private IntentClassifier(List<Intent> classes, float[][] weights, double[] bias, List<Example> source) {
    this.classes = List.copyOf(classes);
    this.weights = weights;
    this.bias = bias;
    this.source = source;
  }

  /** The bundled examples, with the bundled off-topic questions. */
  public static IntentClassifier bundled() {
    return train(withOffTopic(bundledExamples()));
  }

  /**
   * {@code examples} with the off-topic questions the answer decision also learns from ({@link OffTopicQuestions}),
   * unless they already hold off-topic examples.
   */
  public static List<Example> withOffTopic(List<Example> examples) {
    if (examples.stream().anyMatch(e -> e.intent() == Intent.OFF_TOPIC)) {
      return examples;
    }
    List<Example> all = new ArrayList<>(examples);
    for (Language lang : Language.values()) {
      OffTopicQuestions.of(lang).forEach(q -> all.add(new Example(Intent.OFF_TOPIC, q)));
    }
    return all;
  }

  /** The examples of the bundled file. */
  public static List<Example> bundledExamples() {
    try (InputStream in = IntentClassifier.class.getResourceAsStream("/civicbot/intent-examples.yaml")) {
      return parse(in, "civicbot/intent-examples.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The examples of an operator's file in the bundled file's format. */
  public static List<Example> examplesFromFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read intent examples file " + file, e);
    }
  }

  /**
   * A classifier learned from {@code examples} plus a knowledge base's own phrasings: those of its emergency article
   * as emergencies, every other article's as ordinary questions (none of the intents).
   */
  public static IntentClassifier learn(List<Example> examples, List<String> emergencyPhrasings,
                                       List<String> questionPhrasings) {
    List<Example> all = new ArrayList<>(withOffTopic(examples));
    emergencyPhrasings.forEach(q -> all.add(new Example(Intent.EMERGENCY, q)));
    questionPhrasings.forEach(q -> all.add(new Example(null, q)));
    return train(all);
  }

  /**
   * The phrasings of an article to learn from as ordinary questions: every short one (at most
   * {@value #SHORT_PHRASING_WORDS} words: short questions are where a classifier that has seen few of them guesses an
   * intent) and {@value #PHRASINGS_PER_ARTICLE} of the others, spread over the list. Enough to learn the knowledge
   * base's words, too few to drown the intents' own examples (with all of a knowledge base's thousands of phrasings, a
   * described emergency scored as a question).
   */
  public static List<String> spread(List<String> phrasings) {
    List<String> chosen = new ArrayList<>();
    List<String> longer = new ArrayList<>();
    for (String p : phrasings) {
      (TextFolding.words(p).size() <= SHORT_PHRASING_WORDS ? chosen : longer).add(p);
    }
    int step = Math.max(1, longer.size() / PHRASINGS_PER_ARTICLE);
    for (int i = 0, n = 0; i < longer.size() && n < PHRASINGS_PER_ARTICLE; i += step, n++) {
      chosen.add(longer.get(i));
    }
    return chosen;
  }

  /** The examples it was learned from. */
  public List<Example> examples() {
    return source;
  }

  /** The probability of each intent the classifier knows, for already redacted text. */
  public Map<Intent, Double> scores(String text) {
    int[] features = features(text);
    double[] p = new double[weights.length];
    softmax(weights, bias, features, 1 / Math.sqrt(features.length), p);
    Map<Intent, Double> scores = new EnumMap<>(Intent.class);
    for (int c = 0; c < classes.size(); c++) {
      scores.put(classes.get(c), p[c]);
    }
    return scores;
  }

  static List<Example> parse(InputStream in, String name) {
    Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    if (!(root instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("intent examples file " + name
          + " must be a map of intent -> language -> examples");
    }
    List<Example> examples = new ArrayList<>();
    for (Map.Entry<?, ?> e : new TreeMap<>(stringKeys(map)).entrySet()) {
      String key = String.valueOf(e.getKey());
      Intent intent = key.equals("none") ? null : intentOf(key, name);
      if (!(e.getValue() instanceof Map<?, ?> byLang)) {
        throw new IllegalArgumentException("intent examples file " + name + ": '" + key
            + "' must map languages to lists of examples");
      }
      for (Object list : new TreeMap<>(stringKeys(byLang)).values()) {
        if (!(list instanceof List<?> items)) {
          throw new IllegalArgumentException("intent examples file " + name + ": '" + key
              + "' must map languages to lists of examples");
        }
        items.forEach(item -> examples.add(new Example(intent, String.valueOf(item))));
      }
    }
    return examples;
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> result = new LinkedHashMap<>();
    map.forEach((k, v) -> result.put(String.valueOf(k), v));
    return result;
  }

  private static Intent intentOf(String key, String name) {
    try {
      return Intent.valueOf(key.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("intent examples file " + name + ": unknown intent '" + key
          + "'; known: none and " + java.util.Arrays.stream(Intent.values()).map(Intent::key).toList(), e);
    }
  }

  /**
   * Softmax regression over the intents and "none" (the last class), by AdaGrad over shuffled examples for a fixed
   * number of epochs, each class weighed by the inverse square root of its size so rare intents are not drowned.
   */
  public static IntentClassifier train(List<Example> examples) {
    List<Intent> classes = new ArrayList<>();
    for (Intent intent : Intent.values()) {
      if (examples.stream().anyMatch(e -> e.intent() == intent)) {
        classes.add(intent);
      }
    }
    int k = classes.size() + 1;
    int none = classes.size();
    List<int[]> xs = examples.stream().map(e -> features(e.text())).toList();
    int[] ys = examples.stream().mapToInt(e -> e.intent() == null ? none : classes.indexOf(e.intent())).toArray();
    int[] counts = new int[k];
    for (int y : ys) {
      counts[y]++;
    }
    double[] classWeight = new double[k];
    for (int c = 0; c < k; c++) {
      classWeight[c] = counts[c] == 0 ? 0 : Math.sqrt((double) examples.size() / (k * counts[c]));
    }
    float[][] w = new float[k][DIMENSION];
    float[][] g2 = new float[k][DIMENSION];
    double[] b = new double[k];
    double[] bg2 = new double[k];
    Random random = new Random(SEED);
    int[] order = new int[xs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    double[] p = new double[k];
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int index : order) {
        int[] x = xs.get(index);
        double scale = 1 / Math.sqrt(x.length);
        softmax(w, b, x, scale, p);
        for (int c = 0; c < k; c++) {
          double grad = ((c == ys[index] ? 1 : 0) - p[c]) * classWeight[ys[index]];
          if (Math.abs(grad) < 1e-6) {
            continue;
          }
          for (int f : x) {
            double gf = grad * scale - L2 * w[c][f];
            g2[c][f] += (float) (gf * gf);
            w[c][f] += (float) (LEARNING_RATE * gf / Math.sqrt(g2[c][f] + 1e-8));
          }
          bg2[c] += grad * grad;
          b[c] += LEARNING_RATE * grad / Math.sqrt(bg2[c] + 1e-8);
        }
      }
    }
    return new IntentClassifier(classes, w, b, List.copyOf(examples));
  }

  private static void softmax(float[][] w, double[] b, int[] x, double scale, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < w.length; c++) {
      double z = b[c];
      for (int f : x) {
        z += w[c][f] * scale;
      }
      out[c] = z;
      max = Math.max(max, z);
    }
    double sum = 0;
    for (int c = 0; c < w.length; c++) {
      out[c] = Math.exp(out[c] - max);
      sum += out[c];
    }
    for (int c = 0; c < w.length; c++) {
      out[c] /= sum;
    }
  }

  /** Hashed features: every word, every pair of neighbouring words, and the letter 3- and 4-grams of each word. */
  static int[] features(String text) {
    List<String> words = TextFolding.words(text);
    List<Integer> f = new ArrayList<>();
    f.add(bucket("#bias"));
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      f.add(bucket("w:" + w));
      if (i + 1 < words.size()) {
        f.add(bucket("b:" + w + " " + words.get(i + 1)));
      }
      String padded = "<" + w + ">";
      for (int n = 3; n <= 4; n++) {
        for (int k = 0; k + n <= padded.length(); k++) {
          f.add(bucket("c" + n + ":" + padded.substring(k, k + n)));
        }
      }
    }
    if (words.size() <= 3) {
      f.add(bucket("#short"));
    }
    return f.stream().mapToInt(Integer::intValue).distinct().toArray();
  }

  private static int bucket(String feature) {
    return Math.floorMod(feature.hashCode() * 0x9E3779B1, DIMENSION);
  }
}
