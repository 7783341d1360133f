package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.agent.Agent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader swaps in valid edits with memory kept, and keeps the last good version on errors. */
class AgentLoaderTest {

  private static final String GOOD = """
      agent support {
        model "shop-model"
        system "You are the support assistant of {{shop}}."
        var shop = "%s"
        memory window 10
      }
      """;

  private static final String BAD = """
      agent support {
        model "shop-modle"
        system "You are the support assistant of {{shop}}."
      }
      """;

  @Test
  void aGoodFileThenABadOneThenAGoodOneSwapsTwiceAndKeepsTheConversation(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("support.colloquy");
    Files.writeString(file, GOOD.formatted("Acme"));
    Fixtures.RecordingModel model = new Fixtures.RecordingModel("ok");
    List<DslException> errors = new CopyOnWriteArrayList<>();
    AgentLoader loader = AgentLoader.load(dir, Fixtures.bindings(model), errors::add);
    Agent first = loader.agent("support");
    first.chat("c-1", "Hello");

    Files.writeString(file, BAD);
    assertThat(loader.reload()).isFalse();
    assertThat(errors).singleElement().satisfies(e ->
        assertThat(e.getMessage()).contains("support.colloquy:2:9: error: unknown model `shop-modle`"));
    assertThat(loader.agent("support")).isSameAs(first);

    Files.writeString(file, GOOD.formatted("Globex"));
    assertThat(loader.reload()).isTrue();
    Agent second = loader.agent("support");
    second.chat("c-1", "Still there?");

    assertThat(second).isNotSameAs(first);
    assertThat(second.memory()).isSameAs(first.memory());
    assertThat(model.requests.get(1).messages().get(0).text()).isEqualTo("You are the support assistant of Globex.");
    assertThat(model.requests.get(1).messages()).extracting(m -> m.text())
        .containsSubsequence("Hello", "ok", "Still there?");
  }

  @Test
  void aChangedWindowKeepsTheStoredConversation(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("support.colloquy");
    Files.writeString(file, GOOD.formatted("Acme"));
    AgentLoader loader = AgentLoader.load(dir, Fixtures.bindings(), e -> { });
    loader.agent("support").chat("c-1", "Hello");

    Files.writeString(file, GOOD.formatted("Acme").replace("window 10", "window 30"));
    assertThat(loader.reload()).isTrue();

    assertThat(loader.agent("support").memory().maxMessages()).isEqualTo(30);
    assertThat(loader.agent("support").memory().messages("c-1")).hasSize(2);
  }

  @Test
  void aFirstLoadWithErrorsThrowsBecauseThereIsNoGoodVersion(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("support.colloquy"), BAD);

    assertThatThrownBy(() -> AgentLoader.load(dir, Fixtures.bindings(), e -> { }))
        .isInstanceOf(DslException.class)
        .hasMessageContaining("did you mean `shop-model`?");
  }

  @Test
  void theWatcherPicksUpAnEditWithoutBeingAsked(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("support.colloquy");
    Files.writeString(file, GOOD.formatted("Acme"));
    try (AgentLoader loader = AgentLoader.watch(dir, Fixtures.bindings(), e -> { })) {
      Agent first = loader.agent("support");

      Files.writeString(file, GOOD.formatted("Globex"));

      long deadline = System.nanoTime() + 20_000_000_000L;
      while (loader.agent("support") == first && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(loader.agent("support")).isNotSameAs(first);
      assertThat(loader.agent("support").render("c-1", "Hi").messages().get(0).text()).contains("Globex");
    }
  }
}
