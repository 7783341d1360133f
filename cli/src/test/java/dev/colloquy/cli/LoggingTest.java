package dev.colloquy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleLoggerFactory;

/** The command line ships an SLF4J binding, so no "no providers" warning, and runs stay quiet. */
class LoggingTest {

  @Test
  void theRuntimeClassPathBindsSlf4jToSlf4jSimple() {
    assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(SimpleLoggerFactory.class);
  }

  @Test
  void aPlainRunOnTheRuntimeClassPathPrintsNoSlf4jLinesAndNoLogs() throws Exception {
    // Surefire starts tests from a manifest-only jar; it names the real class path in this
    // property.
    String testClassPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String runtimeClassPath =
        Arrays.stream(testClassPath.split(File.pathSeparator))
            .filter(entry -> !entry.endsWith("test-classes"))
            .filter(
                entry -> !entry.matches(".*(junit|assertj|opentest4j|apiguardian|byte-buddy).*"))
            .collect(Collectors.joining(File.pathSeparator));
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    // `model info` loads the embedded model, whose loader logs through SLF4J.
    Process process =
        new ProcessBuilder(
                java,
                "-Dai.djl.offline=true",
                "-cp",
                runtimeClassPath,
                Colloquy.class.getName(),
                "model",
                "info")
            .start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(err).isZero();
    assertThat(out).contains("capabilities: context 256 tokens");
    assertThat(err).doesNotContain("SLF4J").isEmpty();
  }
}
