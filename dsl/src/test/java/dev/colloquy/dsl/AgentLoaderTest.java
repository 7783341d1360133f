package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.message.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader swaps in valid edits with memory kept (in a given store too), keeps the last good
 * version on errors, and its watcher follows sub-folders created, moved in or deleted after it
 * started.
 */
class AgentLoaderTest {

  private static final String GOOD =
      """
      agent support {
        model "shop-model"
        system "You are the support assistant of {{shop}}."
        var shop = "%s"
        memory window 10
      }
      """;

  private static final String BILLING =
      """
      agent billing {
        model "shop-model"
        system "You are the billing assistant of {{shop}}."
        var shop = "%s"
      }
      """;

  private static final String BAD =
      """
      agent support {
        model "shop-modle"
        system "You are the support assistant of {{shop}}."
      }
      """;

  @Test
  void aGoodFileThenABadOneThenAGoodOneSwapsTwiceAndKeepsTheConversation(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("support.colloquy");
    Files.writeString(file, GOOD.formatted("Acme"));
    Fixtures.RecordingModel model = new Fixtures.RecordingModel("ok");
    List<DslException> errors = new CopyOnWriteArrayList<>();
    AgentLoader loader = AgentLoader.load(dir, Fixtures.bindings(model), errors::add);
    Agent first = loader.agent("support");
    first.chat("c-1", "Hello");

    Files.writeString(file, BAD);
    assertThat(loader.reload()).isFalse();
    assertThat(errors)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .contains("support.colloquy:2:9: error: unknown model `shop-modle`"));
    assertThat(loader.agent("support")).isSameAs(first);

    Files.writeString(file, GOOD.formatted("Globex"));
    assertThat(loader.reload()).isTrue();
    Agent second = loader.agent("support");
    second.chat("c-1", "Still there?");

    assertThat(second).isNotSameAs(first);
    assertThat(second.memory()).isSameAs(first.memory());
    assertThat(model.requests.get(1).messages().get(0).text())
        .isEqualTo("You are the support assistant of Globex.");
    assertThat(model.requests.get(1).messages())
        .extracting(m -> m.text())
        .containsSubsequence("Hello", "ok", "Still there?");
  }

  @Test
  void aChangedWindowKeepsTheStoredConversation(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("support.colloquy");
    Files.writeString(file, GOOD.formatted("Acme"));
    AgentLoader loader = AgentLoader.load(dir, Fixtures.bindings(), e -> {});
    loader.agent("support").chat("c-1", "Hello");

    Files.writeString(file, GOOD.formatted("Acme").replace("window 10", "window 30"));
    assertThat(loader.reload()).isTrue();

    assertThat(loader.agent("support").memory().maxMessages()).isEqualTo(30);
    assertThat(loader.agent("support").memory().messages("c-1")).hasSize(2);
  }

  @Test
  void aGivenStoreHoldsTheConversationAcrossAnEditThatChangesTheWindow(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("support.colloquy");
    Files.writeString(file, GOOD.formatted("Acme"));
    Fixtures.RecordingModel model = new Fixtures.RecordingModel("ok");
    MemoryStore store = InMemoryStore.create();
    AgentLoader loader = AgentLoader.load(dir, Fixtures.bindings(model), store, e -> {});
    loader.agent("support").chat("c-1", "Hello");

    assertThat(store.load("c-1").messages())
        .extracting(Message::text)
        .containsExactly("Hello", "ok");

    Files.writeString(file, GOOD.formatted("Globex").replace("window 10", "window 30"));
    assertThat(loader.reload()).isTrue();

    assertThat(loader.agent("support").memory().store()).isSameAs(store);
    assertThat(loader.agent("support").memory().maxMessages()).isEqualTo(30);
    assertThat(store.load("c-1").messages())
        .extracting(Message::text)
        .containsExactly("Hello", "ok");
    loader.agent("support").chat("c-1", "Still there?");
    assertThat(store.load("c-1").messages())
        .extracting(Message::text)
        .containsExactly("Hello", "ok", "Still there?", "ok");
    assertThat(model.requests.get(1).messages())
        .extracting(Message::text)
        .containsSubsequence("Hello", "ok", "Still there?");
  }

  @Test
  void everyAgentOfAFolderKeepsItsConversationsInTheGivenStore(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("support.colloquy"), GOOD.formatted("Acme"));
    Files.writeString(dir.resolve("billing.colloquy"), BILLING.formatted("Acme"));
    MemoryStore store = InMemoryStore.create();
    AgentLoader loader = AgentLoader.load(dir, Fixtures.bindings(), store, e -> {});

    loader.agent("support").chat("c-support", "Hello");
    loader.agent("billing").chat("c-billing", "Invoice?");

    assertThat(store.load("c-support").messages())
        .extracting(Message::text)
        .containsExactly("Hello", "ok");
    assertThat(store.load("c-billing").messages())
        .extracting(Message::text)
        .containsExactly("Invoice?", "ok");
  }

  @Test
  void aNullStoreIsRejectedByName(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("support.colloquy"), GOOD.formatted("Acme"));

    assertThatThrownBy(
            () -> AgentLoader.load(dir, Fixtures.bindings(), (MemoryStore) null, e -> {}))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("store");
    assertThatThrownBy(
            () -> AgentLoader.watch(dir, Fixtures.bindings(), (MemoryStore) null, e -> {}))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("store");
  }

  @Test
  void aFirstLoadWithErrorsThrowsBecauseThereIsNoGoodVersion(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("support.colloquy"), BAD);

    assertThatThrownBy(() -> AgentLoader.load(dir, Fixtures.bindings(), e -> {}))
        .isInstanceOf(DslException.class)
        .hasMessageContaining("did you mean `shop-model`?");
  }

  @Test
  void theWatcherPicksUpAnEditWithoutBeingAsked(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("support.colloquy");
    Files.writeString(file, GOOD.formatted("Acme"));
    try (AgentLoader loader = AgentLoader.watch(dir, Fixtures.bindings(), e -> {})) {
      Agent first = loader.agent("support");

      Files.writeString(file, GOOD.formatted("Globex"));

      awaitUntil(() -> loader.agent("support") != first);
      assertThat(loader.agent("support")).isNotSameAs(first);
      assertThat(systemPrompt(loader, "support")).contains("Globex");
    }
  }

  @Test
  void theWatcherKeepsTheConversationInTheGivenStoreAcrossAnEdit(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("support.colloquy");
    Files.writeString(file, GOOD.formatted("Acme"));
    MemoryStore store = InMemoryStore.create();
    try (AgentLoader loader = AgentLoader.watch(dir, Fixtures.bindings(), store, e -> {})) {
      Agent first = loader.agent("support");
      first.chat("c-1", "Hello");
      assertThat(store.load("c-1").messages())
          .extracting(Message::text)
          .containsExactly("Hello", "ok");

      Files.writeString(file, GOOD.formatted("Globex").replace("window 10", "window 30"));

      awaitUntil(() -> loader.agent("support") != first);
      assertThat(loader.agent("support").memory().store()).isSameAs(store);
      assertThat(loader.agent("support").memory().maxMessages()).isEqualTo(30);
      assertThat(loader.agent("support").memory().messages("c-1"))
          .extracting(Message::text)
          .containsExactly("Hello", "ok");
    }
  }

  @Test
  void aSubFolderCreatedAfterTheWatcherStartedIsWatchedToo(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("support.colloquy"), GOOD.formatted("Acme"));
    try (AgentLoader loader = AgentLoader.watch(dir, Fixtures.bindings(), e -> {})) {
      Path billing = Files.createDirectory(dir.resolve("billing")).resolve("billing.colloquy");
      Files.writeString(billing, BILLING.formatted("Acme"));

      awaitUntil(() -> loader.definitions().agentNames().contains("billing"));
      assertThat(loader.definitions().agentNames()).contains("support", "billing");

      // Only a watch on the new folder itself sees an edit there: the root hears nothing.
      Files.writeString(billing, BILLING.formatted("Globex"));
      awaitUntil(() -> systemPrompt(loader, "billing").contains("Globex"));
      assertThat(systemPrompt(loader, "billing")).contains("Globex");
    }
  }

  @Test
  void aNestedTreeMovedInAtOnceIsWatchedAtEveryDepth(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectory(dir.resolve("agents"));
    Files.writeString(root.resolve("support.colloquy"), GOOD.formatted("Acme"));
    Path staged = Files.createDirectories(dir.resolve("staging/a/b"));
    Files.writeString(staged.resolve("billing.colloquy"), BILLING.formatted("Acme"));
    try (AgentLoader loader = AgentLoader.watch(root, Fixtures.bindings(), e -> {})) {
      Files.move(dir.resolve("staging/a"), root.resolve("a"), StandardCopyOption.ATOMIC_MOVE);

      awaitUntil(() -> loader.definitions().agentNames().contains("billing"));
      assertThat(loader.definitions().agentNames()).contains("support", "billing");

      Files.writeString(root.resolve("a/b/billing.colloquy"), BILLING.formatted("Globex"));
      awaitUntil(() -> systemPrompt(loader, "billing").contains("Globex"));
      assertThat(systemPrompt(loader, "billing")).contains("Globex");
    }
  }

  @Test
  void aDeletedSubFolderTakesItsAgentsAwayAndTheWatcherGoesOn(@TempDir Path dir) throws Exception {
    Path support = dir.resolve("support.colloquy");
    Files.writeString(support, GOOD.formatted("Acme"));
    Path folder = Files.createDirectory(dir.resolve("billing"));
    Files.writeString(folder.resolve("billing.colloquy"), BILLING.formatted("Acme"));
    try (AgentLoader loader = AgentLoader.watch(dir, Fixtures.bindings(), e -> {})) {
      assertThat(loader.definitions().agentNames()).contains("support", "billing");

      Files.delete(folder.resolve("billing.colloquy"));
      Files.delete(folder);
      awaitUntil(() -> !loader.definitions().agentNames().contains("billing"));
      assertThat(loader.definitions().agentNames()).containsExactly("support");

      Files.writeString(support, GOOD.formatted("Globex"));
      awaitUntil(() -> systemPrompt(loader, "support").contains("Globex"));
      assertThat(systemPrompt(loader, "support")).contains("Globex");

      // A folder of the same name is a new folder to watch.
      Files.createDirectory(folder);
      Files.writeString(folder.resolve("billing.colloquy"), BILLING.formatted("Initech"));
      awaitUntil(() -> loader.definitions().agentNames().contains("billing"));
      Files.writeString(folder.resolve("billing.colloquy"), BILLING.formatted("Globex"));
      awaitUntil(
          () ->
              loader.definitions().agentNames().contains("billing")
                  && systemPrompt(loader, "billing").contains("Globex"));
      assertThat(systemPrompt(loader, "billing")).contains("Globex");
    }
  }

  private static String systemPrompt(AgentLoader loader, String agent) {
    return loader.agent(agent).render("c-1", "Hi").messages().get(0).text();
  }

  // The watcher reloads on its own thread about 200 ms after a change; a busy machine may take
  // longer, so wait up to a bound and let the assertion that follows say what went wrong.
  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }
}
