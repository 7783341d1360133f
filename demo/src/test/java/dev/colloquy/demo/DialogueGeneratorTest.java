package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ChatRequest;
import java.text.Normalizer;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DialogueGeneratorTest {

  @Test
  void theSameSeedWritesTheSameDialogues() {
    assertThat(new DialogueGenerator(7).generate(50))
        .isEqualTo(new DialogueGenerator(7).generate(50));
  }

  @Test
  void theSameSeedWritesTheSameTrainingDialogues() {
    assertThat(DialogueGenerator.forTraining(7).generate(300))
        .isEqualTo(DialogueGenerator.forTraining(7).generate(300));
  }

  @Test
  void anotherSeedWritesOtherDialogues() {
    assertThat(new DialogueGenerator(7).generate(50))
        .isNotEqualTo(new DialogueGenerator(8).generate(50));
  }

  @Test
  void everyHeldOutPhrasingDiffersFromEveryTrainingPhrasingBeyondCaseAndPunctuation() {
    for (Language language : Language.values()) {
      for (Intent intent : Intent.values()) {
        List<String> asks = Phrases.asks(language, intent);
        Set<String> training = new HashSet<>();
        for (int i = 0; i < asks.size(); i++) {
          if (i % 5 != 4) {
            training.add(Noise.normal(asks.get(i)));
          }
        }
        for (int i = 4; i < asks.size(); i += 5) {
          assertThat(training)
              .as("%s %s held out: %s", language, intent, asks.get(i))
              .doesNotContain(Noise.normal(asks.get(i)));
        }
      }
    }
  }

  @Test
  void coversEveryIntentInBothLanguages() {
    List<Dialogue> dialogues = new DialogueGenerator(1).generate(400);

    for (Language language : Language.values()) {
      Set<Intent> seen = EnumSet.noneOf(Intent.class);
      dialogues.stream()
          .filter(d -> d.language() == language)
          .forEach(d -> seen.addAll(d.intents()));
      assertThat(seen).as("intents in %s", language).containsExactlyInAnyOrder(Intent.values());
    }
  }

  @Test
  void orderQuestionsCallTheToolWithTheNumberTheCustomerGaveAndAnswerFromItsResult() {
    assertOrderTurnsUseTheCustomersNumber(new DialogueGenerator(3).generate(300));
  }

  @Test
  void trainingOrderQuestionsFromTheGrammarsAlsoCallTheToolWithTheCustomersNumber() {
    assertOrderTurnsUseTheCustomersNumber(DialogueGenerator.forTraining(3).generate(1000));
  }

  private static void assertOrderTurnsUseTheCustomersNumber(List<Dialogue> dialogues) {
    Pattern number = Pattern.compile("\\d{5}");
    int checked = 0;
    for (Dialogue dialogue : dialogues) {
      List<Message> messages = dialogue.messages();
      ChatRequest.of(messages); // every tool result follows its call
      for (int i = 0; i < messages.size(); i++) {
        if (messages.get(i) instanceof AssistantMessage call && call.hasToolCalls()) {
          // A number typed in full-width digits (１２３４５) is looked up in ASCII.
          Matcher asked =
              number.matcher(
                  Normalizer.normalize(messages.get(i - 1).text(), Normalizer.Form.NFKC));
          assertThat(asked.find()).isTrue();
          assertThat(call.toolCalls().get(0).arguments())
              .isEqualTo("{\"orderId\":" + asked.group() + "}");
          assertThat(((ToolResultMessage) messages.get(i + 1)).text())
              .contains("\"orderId\":" + asked.group());
          assertThat(messages.get(i + 2).text()).contains(asked.group());
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(50);
  }
}
