package org.civicbot.knowledge.retrieval;

import org.civicbot.knowledge.Language;

import java.util.List;
import java.util.Optional;

/** The ranked answer candidates for one question, best first, with the threshold they were judged by. */
public record Retrieval(String query, Language language, List<RetrievalHit> hits, RetrievalSettings settings) {

  public Retrieval {
    hits = List.copyOf(hits);
  }

  public Optional<RetrievalHit> best() {
    return hits.isEmpty() ? Optional.empty() : Optional.of(hits.get(0));
  }

  /** The confidence the answer needs: its language's hits carry the vector signal or all lack it. */
  public double threshold() {
    return settings.thresholdFor(best().map(hit -> hit.signals().hasVector()).orElse(true));
  }

  /** Whether the best hit is confident enough to be given as the answer. */
  public boolean confident() {
    return best().filter(hit -> hit.confidence() >= threshold()).isPresent();
  }
}
