package org.civicbot.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * CivicBot started as a child process of the load benchmark, from the jar that runs the benchmark, so the load
 * generator's own threads and garbage stay out of the server's CPU and heap figures. It gets a free port, a fresh data
 * directory and no rate limits; its output goes to a log beside the data, which is kept when something went wrong.
 */
final class ChildServer implements AutoCloseable {
  /** The first start of a fresh data directory unpacks PostgreSQL and indexes the sample articles (about a minute). */
  private static final Duration STARTUP_LIMIT = Duration.ofMinutes(5);
  private static final Duration STOP_LIMIT = Duration.ofSeconds(90);
  /** The operator's token of the child server (loopback only, gone with its data directory). */
  static final String ADMIN_TOKEN = "bench-load";

  private final Process process;
  private final Path dir;
  private final Path log;
  private final int port;
  private boolean keepLog;

  private ChildServer(Process process, Path dir, Path log, int port) {
    this.process = process;
    this.dir = dir;
    this.log = log;
    this.port = port;
  }

  /** Starts the server with {@code -Xmx heap} (and a flight recording to {@code jfr}) and waits until it is up. */
  static ChildServer start(String heap, Optional<Path> jfr) throws IOException, InterruptedException {
    return start(heap, jfr, Map.of());
  }

  /** The same with {@code settings} added to its environment (another database, say). */
  static ChildServer start(String heap, Optional<Path> jfr, Map<String, String> settings)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("civicbot-bench-load");
    Path log = dir.resolve("server.log");
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(javaCommand(), "-Xmx" + heap));
    jfr.ifPresent(f -> command.add("-XX:StartFlightRecording=filename=" + f + ",settings=profile,dumponexit=true"));
    command.addAll(List.of("-jar", runningJar().toString(), "serve"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("CIVICBOT_PORT", Integer.toString(port));
    env.put("CIVICBOT_DATA_DIR", dir.resolve("data").toString());
    env.put("CIVICBOT_RATE_LIMIT_CLIENT", "1000000");
    env.put("CIVICBOT_RATE_LIMIT_CONVERSATION", "1000000");
    env.put("CIVICBOT_ADMIN_TOKEN", ADMIN_TOKEN);
    env.putAll(settings);
    System.out.printf("Starting CivicBot on port %d (%s), its log in %s%n", port, String.join(" ", command), log);
    ChildServer server = new ChildServer(builder.start(), dir, log, port);
    try {
      server.awaitHealthy();
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.keepLog();
      server.close();
      throw e;
    }
    return server;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  /** Keeps the log (not the data) when the server is closed, for a run that went wrong. */
  void keepLog() {
    keepLog = true;
  }

  /** Whether the server is still running, as it should until it is closed. */
  boolean alive() {
    return process.isAlive();
  }

  /** Stops the server as an operator would (SIGTERM, so it shuts down and writes its flight recording). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      System.err.println("CivicBot did not stop within " + STOP_LIMIT.toSeconds() + " s of SIGTERM; killed it");
      process.destroyForcibly().waitFor();
      keepLog = true;
    }
    delete(dir.resolve("data"));
    if (keepLog) {
      System.err.println("The server's log: " + log);
    } else {
      delete(dir);
    }
  }

  private void awaitHealthy() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/health")).timeout(Duration.ofSeconds(5)).build();
    long started = System.nanoTime();
    System.out.print("Waiting for /health");
    while (true) {
      if (!process.isAlive()) {
        System.out.println();
        throw new IllegalStateException("CivicBot exited with code " + process.exitValue() + " before it was up");
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          System.out.printf(" up after %.0f s%n", (System.nanoTime() - started) / 1e9);
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() - started > STARTUP_LIMIT.toNanos()) {
        System.out.println();
        throw new IllegalStateException("CivicBot was not up within " + STARTUP_LIMIT.toMinutes() + " minutes");
      }
      System.out.print(".");
      Thread.sleep(1000);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** The runnable jar this benchmark runs from, which is the server to measure. */
  private static Path runningJar() {
    try {
      Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException("bench-load starts the server from the runnable jar, but runs from " + jar
            + "; run it as java -jar deploy/target/civicbot.jar bench-load, or give --url");
      }
      return jar;
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot tell which jar runs: " + e.getMessage(), e);
    }
  }

  private static void delete(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("Could not delete " + path + ": " + e.getMessage());
    }
  }
}
