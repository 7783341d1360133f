package dev.colloquy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.dsl.Definitions;
import dev.colloquy.dsl.DslException;
import dev.colloquy.test.ScriptedChatModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** {@code colloquy.agents.watch}: real files in a temporary folder and the DSL's real watcher. */
@ExtendWith(OutputCaptureExtension.class)
class AgentDefinitionWatchTest {
  // How long a reload may take to be seen: the watcher waits ~200 ms for a burst of events to
  // settle.
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final String WATCHER_THREAD = "colloquy-dsl-watcher";

  @TempDir Path folder;

  private final ApplicationContextRunner runner =
      Runners.colloquy()
          .withBean(
              ChatModel.class,
              () ->
                  ScriptedChatModel.builder()
                      .otherwise(request -> "echo: " + request.lastUserText())
                      .build());

  private ApplicationContextRunner watching() {
    return runner.withPropertyValues(
        "colloquy.agents.watch=true", "colloquy.agents.location=" + folder.toUri());
  }

  private void writeSupport(String shop) throws IOException {
    write(
        "support.colloquy",
        """
        agent support {
          model "default"
          system "You are the support assistant of %s."
          memory window 6
        }
        """
            .formatted(shop));
  }

  private void write(String file, String text) throws IOException {
    Files.writeString(folder.resolve(file), text);
  }

  private static String systemPrompt(AgentRegistry agents) {
    return agents.get("support").render("c", "x").messages().get(0).text();
  }

  @Test
  void editingAFileChangesTheAgentTheRegistryGives() throws IOException {
    writeSupport("Acme Shoes");
    watching()
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .hasSingleBean(AgentRegistry.class)
                  .doesNotHaveBean("support")
                  .doesNotHaveBean(Definitions.class);
              AgentRegistry agents = context.getBean(AgentRegistry.class);
              assertThat(agents.names()).containsExactly("support");
              assertThat(systemPrompt(agents))
                  .isEqualTo("You are the support assistant of Acme Shoes.");
              assertThat(agents.get("support").chat("customer-1", "hello"))
                  .isEqualTo("echo: hello");

              writeSupport("Acme Boots");

              eventually(
                  () ->
                      assertThat(systemPrompt(agents))
                          .isEqualTo("You are the support assistant of Acme Boots."));
              assertThat(agents.get("support").memory().store().load("customer-1").messages())
                  .extracting(Message::text)
                  .containsExactly("hello", "echo: hello");
            });
  }

  @Test
  void whenWatchingAConversationLandsInTheMemoryStoreBeanAndSurvivesAnEdit() throws IOException {
    writeSupport("Acme Shoes");
    InMemoryStore store = InMemoryStore.create();
    watching()
        .withBean(MemoryStore.class, () -> store)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              AgentRegistry agents = context.getBean(AgentRegistry.class);
              assertThat(agents.get("support").chat("customer-1", "hello"))
                  .isEqualTo("echo: hello");
              assertThat(store.load("customer-1").messages())
                  .extracting(Message::text)
                  .containsExactly("hello", "echo: hello");

              write(
                  "support.colloquy",
                  """
          agent support {
            model "default"
            system "You are the support assistant of Acme Boots."
            memory window 8
          }
          """);

              eventually(
                  () ->
                      assertThat(systemPrompt(agents))
                          .isEqualTo("You are the support assistant of Acme Boots."));
              assertThat(agents.get("support").memory().store()).isSameAs(store);
              assertThat(agents.get("support").memory().maxMessages()).isEqualTo(8);
              assertThat(agents.get("support").chat("customer-1", "still there?"))
                  .isEqualTo("echo: still there?");
              assertThat(store.load("customer-1").messages())
                  .extracting(Message::text)
                  .containsExactly("hello", "echo: hello", "still there?", "echo: still there?");
            });
  }

  @Test
  void whenWatchingTheAgentsUseTheAutoConfiguredMemoryStore() throws IOException {
    writeSupport("Acme Shoes");
    watching()
        .run(
            context -> {
              MemoryStore store = context.getBean(MemoryStore.class);
              AgentRegistry agents = context.getBean(AgentRegistry.class);
              agents.get("support").chat("customer-1", "hello");

              assertThat(agents.get("support").memory().store()).isSameAs(store);
              assertThat(store.load("customer-1").messages())
                  .extracting(Message::text)
                  .containsExactly("hello", "echo: hello");
            });
  }

  @Test
  void aBadEditKeepsTheLastGoodAgentAndLogsTheFileLineAndColumn(CapturedOutput output)
      throws IOException {
    writeSupport("Acme Shoes");
    watching()
        .run(
            context -> {
              AgentRegistry agents = context.getBean(AgentRegistry.class);

              write(
                  "support.colloquy",
                  """
          agent support {
            model "default"
            memory window twenty
          }
          """);

              eventually(
                  () -> assertThat(output.getErr()).contains("support.colloquy:3:17: error:"));
              assertThat(output.getErr())
                  .contains("the last good definitions stay in use")
                  .contains("memory window twenty");
              assertThat(systemPrompt(agents))
                  .isEqualTo("You are the support assistant of Acme Shoes.");
            });
  }

  @Test
  void closingTheContextStopsTheWatcherThread() throws IOException, InterruptedException {
    writeSupport("Acme Shoes");
    Set<Thread> before = watcherThreads();
    AtomicReference<Set<Thread>> started = new AtomicReference<>();
    watching()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Set<Thread> now = watcherThreads();
              now.removeAll(before);
              assertThat(now).hasSize(1);
              started.set(now);
            });
    eventually(() -> assertThat(started.get()).noneMatch(Thread::isAlive));
  }

  @Test
  void watchingWithoutAFileSystemFolderStopsStartupNamingTheProperties() {
    runner
        .withPropertyValues(
            "colloquy.agents.watch=true", "colloquy.agents.location=classpath:agents-test/valid/")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains(
                      "colloquy.agents.watch=true needs colloquy.agents.location to be a file-system folder")
                  .contains("was 'classpath:agents-test/valid/'");
            });
  }

  @Test
  void watchingAMissingFolderStopsStartupNamingTheProperties() {
    runner
        .withPropertyValues(
            "colloquy.agents.watch=true", "colloquy.agents.location=" + folder.toUri() + "missing/")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains(
                      "colloquy.agents.watch=true needs colloquy.agents.location to be an existing folder");
            });
  }

  @Test
  void aBadFileAtStartupStopsStartupEvenWhenWatching() throws IOException {
    write(
        "broken.colloquy",
        """
        agent support {
          model "default"
          memory window twenty
        }
        """);
    watching()
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(DslException.class)
                  .hasMessageStartingWith("broken.colloquy:3:17: error:");
            });
  }

  private static Set<Thread> watcherThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals(WATCHER_THREAD) && thread.isAlive())
        .collect(Collectors.toCollection(HashSet::new));
  }

  // Polls until the assertion holds, for at most PATIENCE.
  private static void eventually(Runnable assertion) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }
}
