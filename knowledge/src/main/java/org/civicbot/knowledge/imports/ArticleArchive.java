package org.civicbot.knowledge.imports;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A knowledge base folder as one zip archive, for uploads and downloads: read with bounds (entries, bytes per file,
 * bytes in all, no path that climbs out of the archive), so a hostile archive is refused with a reason instead of
 * filling the disk or memory. A single folder around everything (an archive of the folder itself) is taken off.
 */
public final class ArticleArchive {
  /** Files an archive may hold. */
  public static final int MAX_ENTRIES = 5_000;
  /** Bytes all files of an archive may hold once unpacked. */
  public static final long MAX_TOTAL_BYTES = 64L * 1024 * 1024;

  private ArticleArchive() {
  }

  /** The archive's article files and concept lists, with a problem for each file that was not taken. */
  public static ArticleFolder.Contents read(byte[] zip) {
    List<ArticleFolder.Problem> problems = new ArrayList<>();
    return ArticleFolder.of(files(zip, problems), problems);
  }

  /**
   * The files of an archive, each named by its path inside it (a folder around everything taken off); a file that
   * is not taken is added to {@code problems}. A broken, empty or oversized archive throws
   * {@link IllegalArgumentException} saying why.
   */
  public static List<ArticleFolder.SourceFile> files(byte[] zip, List<ArticleFolder.Problem> problems) {
    List<ArticleFolder.SourceFile> files = new ArrayList<>();
    int problemsBefore = problems.size();
    long total = 0;
    int entries = 0;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (++entries > MAX_ENTRIES) {
          throw new IllegalArgumentException("the archive holds more than " + MAX_ENTRIES + " files");
        }
        String name = entry.getName().replace('\\', '/');
        if (!safe(name)) {
          problems.add(new ArticleFolder.Problem(name, "has a path outside the archive; skipped"));
          continue;
        }
        if (entry.isDirectory() || ignored(name)) {
          continue;
        }
        byte[] bytes = readBounded(in, ArticleFolder.MAX_FILE_BYTES + 1);
        if (bytes.length > ArticleFolder.MAX_FILE_BYTES) {
          problems.add(new ArticleFolder.Problem(name, "is over the limit of " + ArticleFile.MAX_FILE_CHARS
              + " characters; skipped"));
          continue;
        }
        total += bytes.length;
        if (total > MAX_TOTAL_BYTES) {
          throw new IllegalArgumentException("the archive unpacks to more than " + MAX_TOTAL_BYTES / (1024 * 1024)
              + " MB");
        }
        files.add(new ArticleFolder.SourceFile(name, bytes));
      }
    } catch (ZipException e) {
      throw new IllegalArgumentException("is not a readable zip archive: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the archive", e);
    }
    if (files.isEmpty() && problems.size() == problemsBefore) {
      throw new IllegalArgumentException("is not a zip archive of article files (it holds none)");
    }
    return withoutCommonFolder(files);
  }

  /** A zip archive of {@code files} (their names as paths inside it). */
  public static byte[] write(List<ArticleFolder.SourceFile> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (ArticleFolder.SourceFile file : files) {
        out.putNextEntry(new ZipEntry(file.name()));
        out.write(file.bytes());
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the archive", e);
    }
    return bytes.toByteArray();
  }

  /** Archivers' bookkeeping (macOS resource forks, hidden files), not content. */
  private static boolean ignored(String name) {
    return name.startsWith("__MACOSX/") || name.startsWith(".") || name.contains("/.");
  }

  private static boolean safe(String name) {
    if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || name.contains("\0")) {
      return false;
    }
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static byte[] readBounded(InputStream in, long limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while (out.size() < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - out.size()))) > 0) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static List<ArticleFolder.SourceFile> withoutCommonFolder(List<ArticleFolder.SourceFile> files) {
    if (files.isEmpty() || files.stream().anyMatch(f -> !f.name().contains("/"))) {
      return files;
    }
    String first = files.get(0).name().substring(0, files.get(0).name().indexOf('/') + 1);
    if (first.equals("concepts/") || files.stream().anyMatch(f -> !f.name().startsWith(first))) {
      return files;
    }
    return files.stream().map(f -> new ArticleFolder.SourceFile(f.name().substring(first.length()), f.bytes()))
        .toList();
  }
}
