package org.civicbot.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A second CivicBot in its own operating-system process (a JVM started with the tests' class path and
 * {@code Main serve}), on the database of a {@link RunningCivicBot}: two replicas on one PostgreSQL, each with its own
 * port, data folder and indexes. Its output goes to {@code target/server-process-PORT.log}.
 */
final class ServerProcess implements AutoCloseable {
  private static final Duration STARTUP_LIMIT = Duration.ofMinutes(5);

  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts one on {@code beside}'s database (and admin token) and waits until its health says ready. */
  static ServerProcess besides(RunningCivicBot beside) {
    try {
      int port = freePort();
      Path target = Files.createDirectories(Path.of("target"));
      Path log = target.resolve("server-process-" + port + ".log");
      String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", classPath,
          Main.class.getName(), "serve")).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.putAll(beside.env);
      env.put("CIVICBOT_PORT", Integer.toString(port));
      env.put("CIVICBOT_DATA_DIR", Files.createTempDirectory(target, "civicbot-process").toString());
      ServerProcess server = new ServerProcess(builder.start(), port, log);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  /** Stops it as an operator would (SIGTERM), and kills it when it has not stopped within a minute. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the second CivicBot exited with " + process.exitValue() + "; see " + log);
      }
      try {
        try {
          if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the second CivicBot started", e);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("the second CivicBot was not ready within " + STARTUP_LIMIT + "; see " + log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
