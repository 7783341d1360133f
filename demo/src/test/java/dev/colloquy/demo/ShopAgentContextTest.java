package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.model.local.ContextOverflow;
import dev.colloquy.model.local.LocalGptModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo agent's context policy (issue 19): a message longer than the model's context gets a
 * polite answer instead of ending the chat, and a long chat keeps its latest turns.
 */
class ShopAgentContextTest {

  private static LocalGptModel failing;
  private static LocalGptModel dropping;

  @BeforeAll
  static void load() {
    failing = LocalGptModel.load(ShopModel.directory());
    // As the CLI builds it.
    dropping =
        LocalGptModel.builder(ShopModel.directory())
            .contextOverflow(ContextOverflow.DROP_OLDEST_TURNS)
            .build();
  }

  @AfterAll
  static void close() {
    failing.close();
    dropping.close();
  }

  @Test
  void aFiveThousandCharacterMessageIsAnsweredPolitelyAndTheChatGoesOn() {
    for (LocalGptModel model : new LocalGptModel[] {failing, dropping}) {
      Agent agent = ShopAgent.create(model);
      String huge = "where is my order 12345 ".repeat(210).substring(0, 5000);

      Reply reply = agent.stream("long", huge, StreamListener.NONE);

      assertThat(reply.text()).isEqualTo(ShopAgent.TOO_LONG);
      assertThat(agent.memory().messages("long")).isEmpty();
      assertThatCode(() -> agent.chat("long", "When are you open?")).doesNotThrowAnyException();
      assertThat(agent.memory().messages("long")).isNotEmpty();
    }
  }

  @Test
  void aLongChatOfLongMessagesKeepsItsLatestTurnsWithinTheContext() {
    Agent agent = ShopAgent.create(dropping);
    String longish =
        "Hello, I am writing because I have several questions about your shop and the way you"
            + " handle things, and I would like to know";
    int budget = (int) (dropping.capabilities().contextWindow() * ShopAgent.HISTORY_SHARE);

    for (int turn = 0; turn < 12; turn++) {
      String message =
          longish + (turn % 2 == 0 ? " when you are open." : " where order 4829" + turn + " is.");
      assertThatCode(() -> agent.chat("chat", message)).doesNotThrowAnyException();
      int kept =
          agent.memory().messages("chat").stream()
              .mapToInt(m -> dropping.tokenCounter().orElseThrow().count(m))
              .sum();
      assertThat(kept).isLessThanOrEqualTo(budget);
    }
    assertThat(agent.memory().messages("chat").get(0).text()).doesNotContain("48290");
  }
}
