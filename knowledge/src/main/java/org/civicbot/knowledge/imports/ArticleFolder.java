package org.civicbot.knowledge.imports;

import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Concept;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads every {@code *.md} article file below a folder. A file that cannot be read or parsed becomes a
 * {@link Problem} naming the file and what is wrong; two files with the same slug and language are both refused.
 * Blocking.
 */
public final class ArticleFolder {

  /** A file that was read and parsed. */
  public record Entry(String file, ArticleFile article) {
  }

  /** A file that was not taken, and why. */
  public record Problem(String file, String message) {
    @Override
    public String toString() {
      return file + ": " + message;
    }
  }

  /** The articles and problems of a folder; {@code concepts} is empty when the folder has no concept files. */
  public record Contents(List<Entry> entries, List<Problem> problems, Optional<List<Concept>> concepts) {
    public Contents {
      entries = List.copyOf(entries);
      problems = List.copyOf(problems);
      concepts = concepts.map(List::copyOf);
    }

    public Contents(List<Entry> entries, List<Problem> problems) {
      this(entries, problems, Optional.empty());
    }
  }

  /** The sample knowledge base of the fictional "Eksempel Kommune", shipped inside the jar. */
  public static final String SAMPLE_RESOURCE = "/kb/eksempel";

  private ArticleFolder() {
  }

  /** A file of a folder, an upload or an archive: its path inside it and its bytes. */
  public record SourceFile(String name, byte[] bytes) {
  }

  public static Contents read(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("not a folder: " + folder);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(p -> p.getFileName() != null && (isArticle(p.getFileName().toString())
              || isConcepts(folder.relativize(p).toString().replace('\\', '/'))))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list " + folder, e);
    }
    List<Problem> problems = new ArrayList<>();
    List<SourceFile> sources = new ArrayList<>();
    for (Path file : files) {
      String name = folder.relativize(file).toString().replace('\\', '/');
      try {
        if (Files.size(file) > MAX_FILE_BYTES) {
          problems.add(new Problem(name, "file is " + Files.size(file) + " bytes; far over the limit of "
              + ArticleFile.MAX_FILE_CHARS + " characters"));
          continue;
        }
        sources.add(new SourceFile(name, Files.readAllBytes(file)));
      } catch (IOException e) {
        problems.add(new Problem(name, "cannot be read: " + e.getMessage()));
      }
    }
    return of(sources, problems);
  }

  /**
   * The articles ({@code *.md}) and concept lists ({@code concepts.yaml}, {@code concepts/*.yaml}) among
   * {@code files}, in name order; any other file is reported as skipped.
   */
  public static Contents of(List<SourceFile> files, List<Problem> earlier) {
    List<Problem> problems = new ArrayList<>(earlier);
    List<SourceFile> sorted = files.stream().sorted(java.util.Comparator.comparing(SourceFile::name)).toList();
    Map<String, Entry> byKey = new LinkedHashMap<>();
    Map<String, List<String>> duplicates = new LinkedHashMap<>();
    List<SourceFile> conceptFiles = new ArrayList<>();
    for (SourceFile file : sorted) {
      String name = file.name();
      if (isConcepts(name)) {
        conceptFiles.add(file);
        continue;
      }
      if (!isArticle(name)) {
        problems.add(new Problem(name, "is neither an article file (.md) nor a concept list (concepts.yaml);"
            + " skipped"));
        continue;
      }
      ArticleFile article;
      try {
        article = ArticleFile.parse(text(file.bytes()));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(name, e.getMessage()));
        continue;
      }
      ArticleContent c = article.content();
      String key = c.slug() + " (" + c.lang().code() + ")";
      if (byKey.containsKey(key) || duplicates.containsKey(key)) {
        duplicates.computeIfAbsent(key, k -> new ArrayList<>(List.of(byKey.remove(k).file()))).add(name);
      } else {
        byKey.put(key, new Entry(name, article));
      }
    }
    duplicates.forEach((key, names) -> names.forEach(name -> problems.add(new Problem(name,
        "duplicate article " + key + ": also in " + names.stream().filter(n -> !n.equals(name)).toList()
            + "; none of these files was imported"))));
    return new Contents(new ArrayList<>(byKey.values()), problems, concepts(conceptFiles, problems));
  }

  private static boolean isArticle(String name) {
    return name.endsWith(".md");
  }

  /** {@code concepts.yaml} in any folder, or any {@code *.yaml} in a folder named {@code concepts}. */
  private static boolean isConcepts(String name) {
    String[] parts = name.split("/");
    String last = parts[parts.length - 1];
    return last.equals("concepts.yaml") || last.endsWith(".yaml") && parts.length >= 2
        && parts[parts.length - 2].equals("concepts");
  }

  /** The concept lists, in name order. A file with a problem is reported and the concepts are left as they are. */
  private static Optional<List<Concept>> concepts(List<SourceFile> files, List<Problem> problems) {
    if (files.isEmpty()) {
      return Optional.empty();
    }
    List<Concept> concepts = new ArrayList<>();
    for (SourceFile file : files) {
      try {
        concepts.addAll(ConceptFile.parse(text(file.bytes())));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(file.name(), e.getMessage() + "; the concept lists were not changed"));
        return Optional.empty();
      }
    }
    return Optional.of(concepts);
  }

  /** Reads the sample knowledge base from the classpath (a folder in development, a jar when packaged). */
  public static Contents readSample() {
    URL url = ArticleFolder.class.getResource(SAMPLE_RESOURCE);
    if (url == null) {
      throw new IllegalStateException("the sample knowledge base " + SAMPLE_RESOURCE + " is not on the classpath");
    }
    try {
      URI uri = url.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return read(Path.of(uri));
      }
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
        return read(jar.getPath(SAMPLE_RESOURCE));
      } catch (FileSystemAlreadyExistsException e) {
        return read(FileSystems.getFileSystem(uri).getPath(SAMPLE_RESOURCE));
      }
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot read the sample knowledge base from " + url, e);
    }
  }

  /** More bytes than any file of {@link ArticleFile#MAX_FILE_CHARS} characters can have in UTF-8. */
  public static final long MAX_FILE_BYTES = ArticleFile.MAX_FILE_CHARS * 4L;

  private static String text(byte[] bytes) {
    if (bytes.length > MAX_FILE_BYTES) {
      throw new IllegalArgumentException("file is " + bytes.length + " bytes; far over the limit of "
          + ArticleFile.MAX_FILE_CHARS + " characters");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("is not UTF-8 text");
    }
  }
}
