package org.civicbot.bot.intent;

import org.civicbot.knowledge.Language;
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
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognizes the special intents of a message: phrase lists per language (see {@code civicbot/intents.yaml}) and an
 * {@link IntentClassifier} learned from labelled examples, which also tells a request for a person from a mention.
 * Immutable and thread-safe.
 */
public final class IntentMatcher {

  /**
   * The intents found in one message, in which languages' lists they were found, and the classifier's probability
   * of each intent.
   */
  public record Match(Set<Intent> intents, Map<Language, Integer> languageEvidence, boolean followUpMarker,
                      int contentWords, Map<Intent, Double> scores) {

    public Match(Set<Intent> intents, Map<Language, Integer> languageEvidence, boolean followUpMarker,
                 int contentWords) {
      this(intents, languageEvidence, followUpMarker, contentWords, Map.of());
    }

    public boolean has(Intent intent) {
      return intents.contains(intent);
    }
  }

  /**
   * The classifier's probability from which an intent counts: chosen on a five-fold cross-validation of the bundled
   * examples and the sample knowledge base's phrasings (recall against false positives). Emergencies and self-harm
   * count together; their threshold and {@link #CLAUSE_SAFETY_FLOOR} were chosen on the validation sets
   * ({@code eval/validation}: safety messages, questions and conversations), never on a held-out set.
   */
  static final double INTENT_PROBABILITY = 0.45;
  static final double SAFETY_PROBABILITY = 0.45;
  /** A message longer than this is a question, whatever else it says. */
  static final int MAX_SMALLTALK_WORDS = 14;
  /** Below this probability the classifier overrules a phrase list's request for a person. */
  static final double HUMAN_VETO = 0.2;
  /**
   * Below this probability of an emergency or self-harm the classifier overrules an emergency phrase ("I had a stroke
   * last year, can I get home care?"): set low, since a missed emergency costs far more than a false alarm.
   */
  static final double SAFETY_VETO = 0.1;
  /** Sentence ends, and the conjunctions after a comma that start a clause of its own. */
  private static final Pattern CLAUSE_BOUNDARY = Pattern.compile(
      "(?<=[?!.;:])\\s+|\\n+|,\\s*(?=(?:but|and now|now|so|men|og nu|nu|så|saa)\\b)",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final int MIN_CLAUSE_WORDS = 3;
  /**
   * A clause alone raises the alarm only when the whole message already hints at danger this much: a clause out of
   * its context ("I've been driving for 20 years") is easily misread.
   */
  static final double CLAUSE_SAFETY_FLOOR = 0.02;

  private record Phrases(List<String> plain, List<Pattern> patterns) {
    static Phrases of(List<String> entries) {
      List<String> plain = new ArrayList<>();
      List<Pattern> patterns = new ArrayList<>();
      for (String entry : entries) {
        if (entry.startsWith("re:")) {
          patterns.add(Pattern.compile(entry.substring(3)));
        } else {
          plain.add(TextFolding.fold(entry));
        }
      }
      return new Phrases(plain, patterns);
    }
  }

  private final Map<Intent, Map<Language, Phrases>> phrases = new EnumMap<>(Intent.class);
  private final Map<Language, Phrases> humanExceptions = new EnumMap<>(Language.class);
  private final Map<Language, Set<String>> filler = new EnumMap<>(Language.class);
  private final Map<Language, Phrases> followUp = new EnumMap<>(Language.class);
  private final Map<Language, List<String>> speakable = new EnumMap<>(Language.class);
  private final IntentClassifier classifier;
  private final Map<String, Map<String, List<String>>> lists;

  private IntentMatcher(Map<String, Map<String, List<String>>> lists, IntentClassifier classifier) {
    this.classifier = classifier;
    this.lists = lists;
    for (Language lang : Language.values()) {
      List<String> plain = new ArrayList<>();
      lists.values().forEach(byLang -> byLang.getOrDefault(lang.code(), List.of()).stream().map(String::valueOf)
          .filter(e -> !e.startsWith("re:")).forEach(plain::add));
      speakable.put(lang, List.copyOf(plain));
    }
    for (Intent intent : Intent.values()) {
      phrases.put(intent, perLanguage(lists, intent.key()));
    }
    humanExceptions.putAll(perLanguage(lists, "human_not"));
    perLanguage(lists, "filler").forEach((lang, p) -> filler.put(lang, new HashSet<>(p.plain())));
    followUp.putAll(perLanguage(lists, "followup"));
  }

  /** The bundled phrase lists and the classifier learned from the bundled examples. */
  public static IntentMatcher bundled() {
    return bundled(IntentClassifier.bundled());
  }

  /** The bundled phrase lists with {@code classifier} (null: phrase lists only). */
  public static IntentMatcher bundled(IntentClassifier classifier) {
    try (InputStream in = IntentMatcher.class.getResourceAsStream("/civicbot/intents.yaml")) {
      return parse(in, "civicbot/intents.yaml", classifier);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Phrase lists from an operator's file in the bundled file's format, with the bundled classifier. */
  public static IntentMatcher fromFile(Path file) {
    return fromFile(file, IntentClassifier.bundled());
  }

  /** Phrase lists from an operator's file, with {@code classifier} (null: phrase lists only). */
  public static IntentMatcher fromFile(Path file, IntentClassifier classifier) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString(), classifier);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read intents file " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static IntentMatcher parse(InputStream in, String name, IntentClassifier classifier) {
    Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    if (!(root instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("intents file " + name + " must be a map of intent -> language -> phrases");
    }
    try {
      return new IntentMatcher((Map<String, Map<String, List<String>>>) map, classifier);
    } catch (ClassCastException | IllegalArgumentException e) {
      throw new IllegalArgumentException("intents file " + name + " is malformed: " + e.getMessage(), e);
    }
  }

  private static Map<Language, Phrases> perLanguage(Map<String, Map<String, List<String>>> lists, String key) {
    Map<Language, Phrases> result = new EnumMap<>(Language.class);
    Map<String, List<String>> byLang = lists.getOrDefault(key, Map.of());
    for (Language lang : Language.values()) {
      List<String> entries = byLang.getOrDefault(lang.code(), List.of());
      result.put(lang, Phrases.of(entries.stream().map(String::valueOf).toList()));
    }
    return result;
  }

  /** The same phrase lists with another classifier. */
  public IntentMatcher withClassifier(IntentClassifier newClassifier) {
    return new IntentMatcher(lists, newClassifier);
  }

  /** The classifier, if there is one. */
  public java.util.Optional<IntentClassifier> classifier() {
    return java.util.Optional.ofNullable(classifier);
  }

  /** Every plain phrase of every list in {@code lang}, as written: what a speech recognizer should know. */
  public List<String> speakablePhrases(Language lang) {
    return speakable.get(lang);
  }

  /** The intents in {@code text} (already redacted). */
  public Match match(String text) {
    String folded = " " + TextFolding.fold(text) + " ";
    List<String> words = TextFolding.words(text);
    Set<Intent> found = EnumSet.noneOf(Intent.class);
    Map<Language, Integer> evidence = new EnumMap<>(Language.class);
    Set<String> covered = new HashSet<>();
    for (Intent intent : Intent.values()) {
      for (Language lang : Language.values()) {
        List<String> hits = hits(phrases.get(intent).get(lang), folded);
        if (hits.isEmpty()) {
          continue;
        }
        if (intent == Intent.HUMAN && !hits(humanExceptions.get(lang), folded).isEmpty()) {
          continue;
        }
        if (intent.wholeMessageOnly()) {
          hits.forEach(h -> covered.addAll(List.of(h.split(" "))));
        }
        found.add(intent);
        evidence.merge(lang, 1, Integer::sum);
      }
    }
    int contentWords = 0;
    for (String word : words) {
      if (!covered.contains(word) && !isFiller(word)) {
        contentWords++;
      }
    }
    if (contentWords > 0) {
      found.removeIf(Intent::wholeMessageOnly);
    }
    Map<Intent, Double> scores = classifier == null ? Map.of() : classifier.scores(text);
    // a phrase list names a person ("my caseworker hasn't answered"); the classifier tells a request from a mention
    if (found.contains(Intent.HUMAN) && scores.getOrDefault(Intent.HUMAN, 1.0) < HUMAN_VETO) {
      found.remove(Intent.HUMAN);
    }
    String padded = folded;
    // emergencies and self-harm both lead to the emergency answer: together they decide
    double safety = safety(scores);
    if (found.contains(Intent.EMERGENCY) && !scores.isEmpty() && safety < SAFETY_VETO) {
      found.remove(Intent.EMERGENCY);
    }
    Map<Intent, Double> alarming = scores;
    // an emergency told after an apology or an explanation is judged by its own sentence, not drowned by the rest
    for (String clause : classifier == null || safety < CLAUSE_SAFETY_FLOOR ? List.<String>of() : clauses(text)) {
      Map<Intent, Double> clauseScores = classifier.scores(clause);
      if (safety(clauseScores) > safety(alarming)) {
        alarming = clauseScores;
      }
    }
    if (safety(alarming) >= SAFETY_PROBABILITY) {
      found.add(alarming.getOrDefault(Intent.SELF_HARM, 0.0) > alarming.getOrDefault(Intent.EMERGENCY, 0.0)
          ? Intent.SELF_HARM : Intent.EMERGENCY);
    }
    // "great thanks, that's all for now" is thanks and goodbye at once: together they make it small talk
    double closing = scores.getOrDefault(Intent.THANKS, 0.0) + scores.getOrDefault(Intent.GOODBYE, 0.0);
    if (closing >= INTENT_PROBABILITY && words.size() <= MAX_SMALLTALK_WORDS
        && scores.getOrDefault(Intent.THANKS, 0.0) < INTENT_PROBABILITY
        && scores.getOrDefault(Intent.GOODBYE, 0.0) < INTENT_PROBABILITY) {
      found.add(scores.getOrDefault(Intent.GOODBYE, 0.0) > scores.getOrDefault(Intent.THANKS, 0.0)
          ? Intent.GOODBYE : Intent.THANKS);
    }
    scores.forEach((intent, p) -> {
      if (intent == Intent.EMERGENCY || intent == Intent.SELF_HARM || p < INTENT_PROBABILITY) {
        return;
      }
      if (intent.wholeMessageOnly() && words.size() > MAX_SMALLTALK_WORDS) {
        return;
      }
      if (intent == Intent.HUMAN && humanExceptions.values().stream().anyMatch(x -> !hits(x, padded).isEmpty())) {
        return;
      }
      found.add(intent);
    });
    boolean followUpMarker = false;
    for (Language lang : Language.values()) {
      followUpMarker |= !hits(followUp.get(lang), folded).isEmpty();
    }
    return new Match(found, evidence, followUpMarker, contentWords, scores);
  }

  private static double safety(Map<Intent, Double> scores) {
    return scores.getOrDefault(Intent.EMERGENCY, 0.0) + scores.getOrDefault(Intent.SELF_HARM, 0.0);
  }

  /**
   * The sentences and clauses of a message of several ("Hi, sorry to bother you, but my neighbour is lying on the
   * pavement"): each of at least {@value #MIN_CLAUSE_WORDS} words; none when the message is one clause.
   */
  static List<String> clauses(String text) {
    List<String> clauses = new ArrayList<>();
    for (String piece : CLAUSE_BOUNDARY.split(text)) {
      if (TextFolding.words(piece).size() >= MIN_CLAUSE_WORDS) {
        clauses.add(piece.strip());
      }
    }
    return clauses.size() < 2 ? List.of() : clauses;
  }

  private boolean isFiller(String word) {
    for (Set<String> words : filler.values()) {
      if (words.contains(word)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> hits(Phrases p, String paddedFolded) {
    List<String> hits = new ArrayList<>();
    for (String phrase : p.plain()) {
      if (!phrase.isEmpty() && paddedFolded.contains(" " + phrase + " ")) {
        hits.add(phrase);
      }
    }
    String trimmed = paddedFolded.trim();
    for (Pattern pattern : p.patterns()) {
      Matcher m = pattern.matcher(trimmed);
      if (m.find()) {
        hits.add(m.group().trim());
      }
    }
    return hits;
  }
}
