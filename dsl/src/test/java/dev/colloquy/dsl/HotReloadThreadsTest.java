package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hot reload builds new agents; the old ones must leave no threads behind. */
class HotReloadThreadsTest {

  private static final String SUPPORT =
      """
      agent support {
        model "shop-model"
        system "You are the support assistant."
        tools orderStatus
        budget rounds 3, tool_timeout 5s, deadline 1m
      }
      """;

  private static int liveThreads() {
    return Thread.getAllStackTraces().size();
  }

  @Test
  void aThousandReloadsOfAnAgentWithADeadlineLeaveNoThreadsBehind(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("support.colloquy"), SUPPORT);
    List<DslException> errors = new ArrayList<>();
    AgentLoader loader =
        AgentLoader.load(dir, Fixtures.bindings(new Fixtures.RecordingModel("ok")), errors::add);
    // Starts whatever shared threads a turn needs, once.
    assertThat(loader.agent("support").chat("c-1", "Hello")).isEqualTo("ok");
    int before = liveThreads();

    for (int i = 0; i < 1_000; i++) {
      assertThat(loader.reload()).isTrue();
      if (i % 10 == 0) {
        assertThat(loader.agent("support").chat("c-1", "Hello")).isEqualTo("ok");
      }
    }

    assertThat(errors).isEmpty();
    // Before the fix each reloaded agent that ran a turn kept its own deadline timer thread.
    assertThat(liveThreads()).isLessThanOrEqualTo(before + 5);
  }
}
