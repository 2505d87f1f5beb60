package org.civicbot.admin.content;

import org.civicbot.knowledge.Language;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Greedy grouping of questions by meaning: the most asked question opens a group, and every later question of the
 * same language whose embedding is at least that language's threshold similar (cosine) to that first one joins it. Simple,
 * order-stable and linear in groups times questions; {@code bench-gaps} measures how well it sorts citizens'
 * questions by topic for a given threshold.
 */
public final class GapGrouping {
  /**
   * The thresholds in use, per language, chosen with {@code bench-gaps} on the development set and the first held-out
   * set and measured on the other two (docs/BENCHMARKS.md): the bundled embedding model was trained on English, so
   * Danish questions of different topics look alike to it and need a stricter threshold to stay apart.
   */
  public static final double SAME_GAP_EN = 0.55;
  public static final double SAME_GAP_DA = 0.75;

  /** The threshold for questions in {@code lang}. */
  public static double threshold(Language lang) {
    return lang == Language.DA ? SAME_GAP_DA : SAME_GAP_EN;
  }

  private GapGrouping() {
  }

  /**
   * Groups {@code vectors} (unit length, most asked first) of questions in {@code langs}; each group lists the
   * indexes of its questions, the opening one first.
   */
  public static List<List<Integer>> group(List<float[]> vectors, List<Language> langs,
                                          ToDoubleFunction<Language> threshold) {
    List<List<Integer>> groups = new ArrayList<>();
    boolean[] taken = new boolean[vectors.size()];
    for (int i = 0; i < vectors.size(); i++) {
      if (taken[i]) {
        continue;
      }
      List<Integer> group = new ArrayList<>();
      group.add(i);
      taken[i] = true;
      for (int j = i + 1; j < vectors.size(); j++) {
        if (!taken[j] && langs.get(j).equals(langs.get(i)) 
            && dot(vectors.get(i), vectors.get(j)) >= threshold.applyAsDouble(langs.get(i))) {
          group.add(j);
          taken[j] = true;
        }
      }
      groups.add(group);
    }
    return groups;
  }

  /** {@code v} scaled to unit length (a zero vector stays zero). */
  public static float[] normalized(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = norm == 0 ? 0 : (float) (v[i] / norm);
    }
    return out;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
