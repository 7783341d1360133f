package dev.colloquy.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.model.local.LocalGptModel;
import dev.colloquy.test.Transcripts;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded demo model, through the real agent and its tool loop. */
class ShippedModelTest {

  private static LocalGptModel model;
  private static Agent agent;

  @BeforeAll
  static void load() {
    model = LocalGptModel.load(ShopModel.directory());
    agent = ShopAgent.create(model);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void loadsWithTheToolFormatAndStatesToolCalling() {
    assertThat(model.capabilities().toolCalling()).isTrue();
    assertThat(model.capabilities().contextWindow()).isEqualTo(256);
  }

  // The shipped checkpoint (400 steps) calls orderStatus for order questions but does not yet copy
  // the five digits reliably (see docs/local.md, "Quality"): the number is not asserted until a
  // longer-trained checkpoint ships.
  @Test
  void anEnglishOrderQuestionCallsOrderStatusThroughTheAgentToolLoop() {
    Reply reply = agent.stream("en", "Where is my order 73519?", StreamListener.NONE);

    assertThat(Transcripts.toolCalls(reply.messages())).extracting(ToolCall::name).containsExactly("orderStatus");
    assertThat(reply.text()).startsWith("Order ");
  }

  @Test
  void aChineseOrderQuestionCallsOrderStatusThroughTheAgentToolLoop() {
    Reply reply = agent.stream("zh", "帮我查一下订单40286", StreamListener.NONE);

    assertThat(Transcripts.toolCalls(reply.messages())).extracting(ToolCall::name).containsExactly("orderStatus");
  }

  @Test
  void answersTheOtherIntentsInTheCustomersLanguage() {
    assertThat(agent.chat("en-hours", "When are you open?")).isEqualTo("We are open Monday to Saturday, 9:00 to 18:00.");
    assertThat(agent.chat("zh-returns", "怎么退货？")).isEqualTo("您可以在30天内退货。我们收到商品后5天内退款。");
  }
}
