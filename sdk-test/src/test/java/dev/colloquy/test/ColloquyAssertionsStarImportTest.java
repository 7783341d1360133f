package dev.colloquy.test;

import static dev.colloquy.test.ColloquyAssertions.*;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression: a star import of ColloquyAssertions hid AssertJ's assertThat, so a test could not
 * assert on a String or a List beside a ChatResponse. Only the star import is used here.
 */
class ColloquyAssertionsStarImportTest {

  @Test
  void oneStarImportServesColloquysAssertionsAndAssertJs() {
    ChatResponse response =
        ScriptedChatModel.alwaysReplying("Your order shipped.")
            .chat(ChatRequest.of(Message.user("hi")));

    assertThat(response).hasText("Your order shipped.");
    assertThat(response.text()).startsWith("Your order");
    assertThat(List.of(1, 2)).containsExactly(1, 2);
    assertThatThrownBy(() -> assertThat(response).hasText("something else"))
        .isInstanceOf(AssertionError.class);
  }
}
