package org.civicbot.knowledge.decision;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A learned answer model kept beside its index, with the knowledge version and embedding model it was learned for,
 * so a restart does not learn it again.
 */
public final class AnswerModelFile {
  private static final Logger LOG = LoggerFactory.getLogger(AnswerModelFile.class);
  /** Changes when the features change: a model of other features is not used. */
  static final String FORMAT = "features-" + AnswerFeatures.SIZE + "-" + String.join(",", AnswerFeatures.NAMES)
      .hashCode() + "-lead-" + OffTopicQuestions.fingerprint();

  private AnswerModelFile() {
  }

  /** The stored model when it was learned for {@code version} with {@code embedding}; empty otherwise. */
  public static Optional<AnswerModel> read(Path file, long version, String embedding) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      if (json.getLong("version", -1L) != version || !embedding.equals(json.getString("embedding"))
          || !FORMAT.equals(json.getString("format"))) {
        return Optional.empty();
      }
      return Optional.of(AnswerModel.fromJson(json.getJsonObject("model")));
    } catch (IOException | DecodeException | IllegalArgumentException | ClassCastException | NullPointerException e) {
      LOG.warn("Ignoring the unreadable answer model {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  public static void write(Path file, long version, String embedding, AnswerModel model) {
    JsonObject json = new JsonObject().put("version", version).put("embedding", embedding).put("format", FORMAT)
        .put("model", model.toJson());
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, json.encodePrettily(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("Could not store the answer model in {}: {}", file, e.getMessage());
    }
  }
}
