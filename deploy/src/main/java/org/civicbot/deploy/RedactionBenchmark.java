package org.civicbot.deploy;

import org.civicbot.bot.privacy.PiiRedactor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The redaction benchmark (not a test): over a table of {@code id lang kind text span} lines, the share of personal
 * data removed (recall: the span is gone) per kind and language, and the share of harmless tokens kept (kind
 * {@code none}: the span is still there). Default: {@code eval/redaction/heldout.tsv}, written by a helper who saw
 * neither the redactor nor its test table.
 */
public final class RedactionBenchmark {

  private RedactionBenchmark() {
  }

  public static void main(String[] args) throws IOException {
    boolean verbose = List.of(args).contains("--verbose");
    Path file = Path.of(List.of(args).stream().filter(a -> !a.startsWith("--")).findFirst()
        .orElse("eval/redaction/heldout.tsv"));
    List<String> lines = Files.readAllLines(file);
    PiiRedactor redactor = new PiiRedactor();
    Map<String, int[]> byKind = new TreeMap<>();
    Map<String, int[]> byLang = new TreeMap<>();
    int[] positives = new int[2];
    int[] negatives = new int[2];
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      if (f.length < 5) {
        continue;
      }
      String redacted = redactor.redact(f[3]);
      boolean none = f[2].equals("none");
      boolean right = none == redacted.contains(f[4]);
      int[] total = none ? negatives : positives;
      total[0] += right ? 1 : 0;
      total[1]++;
      count(byKind, f[2], right);
      count(byLang, (none ? "kept " : "removed ") + f[1], right);
      if (verbose && !right) {
        System.out.println((none ? "LOST  " : "LEAK  ") + f[0] + " " + f[2] + ": " + f[3] + " -> " + redacted);
      }
    }
    System.out.printf(Locale.ROOT, "%s: %d personal data, %d harmless%n", file, positives[1], negatives[1]);
    System.out.printf(Locale.ROOT, "recall (personal data removed): %s%n", share(positives));
    System.out.printf(Locale.ROOT, "harmless kept:                  %s%n", share(negatives));
    byLang.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-12s %s%n", k, share(v)));
    byKind.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-12s %s%n", k, share(v)));
  }

  private static void count(Map<String, int[]> counts, String key, boolean right) {
    int[] c = counts.computeIfAbsent(key, k -> new int[2]);
    c[0] += right ? 1 : 0;
    c[1]++;
  }

  private static String share(int[] c) {
    return String.format(Locale.ROOT, "%5.1f %% (%d of %d)", 100.0 * c[0] / Math.max(1, c[1]), c[0], c[1]);
  }
}
