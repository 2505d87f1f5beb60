package org.civicbot.deploy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The command line of {@code bench-load}: the load's shape (an open loop at {@code rate} arrivals a second, or a
 * closed loop of {@code concurrency} citizens when that is given), how long, and the server under test (a child
 * process with {@code heap} and an optional flight recording, unless {@code url} names a running one).
 */
record LoadOptions(double rate, Optional<Integer> concurrency, int seconds, int warmupSeconds, Optional<String> url,
                   String heap, Optional<Path> jfr, Path questions, Path conversations) {

  static final String USAGE = "bench-load [--rate R | --concurrency C] [--seconds S] [--warmup S] [--url URL]"
      + " [--heap 512m] [--jfr FILE] [--questions TSV] [--conversations TSV]";
  private static final Pattern HEAP = Pattern.compile("[0-9]+[kKmMgG]?");

  boolean openLoop() {
    return concurrency.isEmpty();
  }

  static LoadOptions parse(String[] args) {
    double rate = 100;
    boolean rateGiven = false;
    Optional<Integer> concurrency = Optional.empty();
    int seconds = 30;
    int warmup = 10;
    Optional<String> url = Optional.empty();
    String heap = "512m";
    Optional<Path> jfr = Optional.empty();
    Path questions = Path.of("../shared/eval/dev-questions.tsv");
    Path conversations = Path.of("../shared/eval/dev-multiturn.tsv");
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("'" + option + "' needs a value; usage: " + USAGE);
      }
      String value = args[++i];
      switch (option) {
        case "--rate" -> {
          rate = positive(option, value);
          rateGiven = true;
        }
        case "--concurrency" -> concurrency = Optional.of((int) whole(option, value, 1));
        case "--seconds" -> seconds = (int) whole(option, value, 1);
        case "--warmup" -> warmup = (int) whole(option, value, 0);
        case "--url" -> url = Optional.of(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        case "--heap" -> heap = heap(value);
        case "--jfr" -> jfr = Optional.of(Path.of(value).toAbsolutePath());
        case "--questions" -> questions = Path.of(value);
        case "--conversations" -> conversations = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option '" + option + "'; usage: " + USAGE);
      }
    }
    if (rateGiven && concurrency.isPresent()) {
      throw new IllegalArgumentException("--rate (open loop) and --concurrency (closed loop) exclude each other");
    }
    if (url.isPresent() && jfr.isPresent()) {
      throw new IllegalArgumentException("--jfr records the server started here; with --url " + url.get()
          + " start the recording there");
    }
    return new LoadOptions(rate, concurrency, seconds, warmup, url, heap, jfr, questions, conversations);
  }

  private static double positive(String option, String value) {
    try {
      double d = Double.parseDouble(value);
      if (d > 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below with the option's name
    }
    throw new IllegalArgumentException(option + " must be a positive number, but was '" + value + "'");
  }

  private static long whole(String option, String value, int min) {
    try {
      long n = Long.parseLong(value);
      if (n >= min && n <= Integer.MAX_VALUE) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the option's name
    }
    throw new IllegalArgumentException(option + " must be a whole number of at least " + min + ", but was '" + value
        + "'");
  }

  private static String heap(String value) {
    if (!HEAP.matcher(value).matches()) {
      throw new IllegalArgumentException("--heap must be a JVM heap size such as 512m or 2g, but was '" + value + "'");
    }
    return value;
  }
}
