package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.test.ScriptedChatModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 19: the shop's sentences reach the customer in the customer's language. */
class CustomerLanguageTest {

  private static final String ASK_EN = Phrases.answer(Language.EN, Intent.ASK_ORDER_ID);
  private static final String ASK_ZH = Phrases.answer(Language.ZH, Intent.ASK_ORDER_ID);
  private static final String RETURNS_EN = Phrases.answer(Language.EN, Intent.RETURNS);
  private static final String RETURNS_ZH = Phrases.answer(Language.ZH, Intent.RETURNS);
  private static final String SHIPPED_EN =
      "Order 48213 has shipped and should arrive on 2026-03-04.";
  private static final String SHIPPED_ZH = "订单48213已发货，预计2026-03-04送达。";

  @Test
  void anEnglishFixedAnswerToAChineseMessageIsGivenInChinese() {
    assertThat(CustomerLanguage.inLanguage(ASK_EN, Language.ZH)).isEqualTo(ASK_ZH);
    assertThat(CustomerLanguage.inLanguage(ASK_ZH, Language.EN)).isEqualTo(ASK_EN);
  }

  @Test
  void anOrderAnswerKeepsItsNumberDateAndStatus() {
    assertThat(CustomerLanguage.inLanguage(SHIPPED_EN, Language.ZH)).isEqualTo(SHIPPED_ZH);
    assertThat(CustomerLanguage.inLanguage(SHIPPED_ZH, Language.EN)).isEqualTo(SHIPPED_EN);
  }

  @Test
  void twoAnswersInOneReplyAreEachGivenAndJoinedAsTheLanguageJoinsThem() {
    assertThat(CustomerLanguage.inLanguage(SHIPPED_EN + " " + RETURNS_EN, Language.ZH))
        .isEqualTo(SHIPPED_ZH + RETURNS_ZH);
    assertThat(CustomerLanguage.inLanguage(SHIPPED_ZH + RETURNS_EN, Language.EN))
        .isEqualTo(SHIPPED_EN + " " + RETURNS_EN);
  }

  @Test
  void aReplyInTheRightLanguageOrNotAllShopSentencesIsLeftAsWritten() {
    assertThat(CustomerLanguage.inLanguage(ASK_EN, Language.EN)).isSameAs(ASK_EN);
    String extra = ASK_EN + " By the way, hello.";
    assertThat(CustomerLanguage.inLanguage(extra, Language.ZH)).isSameAs(extra);
    String leaked = "<tool_call>" + ASK_EN;
    assertThat(CustomerLanguage.inLanguage(leaked, Language.ZH)).isSameAs(leaked);
    String badDate = "Order 48213 has shipped and should arrive on soon.";
    assertThat(CustomerLanguage.inLanguage(badDate, Language.ZH)).isSameAs(badDate);
    assertThat(CustomerLanguage.inLanguage("", Language.ZH)).isEmpty();
  }

  @Test
  void throughTheAgentTheCustomerSeesAndStreamsTheReplyInTheirLanguage() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .whenUserMatches("我的订单.*", ASK_EN)
            .whenUserMatches("(?i)refund.*", RETURNS_ZH)
            .whenUserMatches("[0-9]+", ASK_EN)
            .build();
    List<String> streamed = new ArrayList<>();
    StreamListener listener =
        new StreamListener() {
          @Override
          public void onText(String delta) {
            streamed.add(delta);
          }

          @Override
          public void onToolCall(ToolCall call) {
            streamed.add("call " + call.name());
          }
        };
    var agent = ShopAgent.create(model);

    Reply chinese = agent.stream("c", "我的订单呢", listener);
    Reply digits = agent.stream("c", "1234", listener);
    Reply english = agent.stream("c", "refund please", listener);
    Reply englishDigits = agent.stream("c", "1234", listener);

    assertThat(chinese.text()).isEqualTo(ASK_ZH);
    assertThat(digits.text()).as("no letters: the conversation's language").isEqualTo(ASK_ZH);
    assertThat(english.text()).isEqualTo(RETURNS_EN);
    assertThat(englishDigits.text()).isEqualTo(ASK_EN);
    assertThat(streamed).containsExactly(ASK_ZH, ASK_ZH, RETURNS_EN, ASK_EN);
    assertThat(agent.memory().messages("c").get(1).text()).isEqualTo(ASK_ZH);
  }
}
