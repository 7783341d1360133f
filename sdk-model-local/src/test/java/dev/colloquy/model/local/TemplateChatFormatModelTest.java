package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.model.local.fixture.TinyModels;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A model's own template and native tool-call syntax, wired through LocalGptModel. */
class TemplateChatFormatModelTest {

  static final String TEMPLATE =
      "{% for message in messages %}{{ message.role + ': ' + message.content + '\\n' }}{% endfor %}"
          + "{% if tools %}{% for tool in tools %}{{ tool | tojson }}{% endfor %}{% endif %}"
          + "{% if add_generation_prompt %}{{ 'assistant:' }}{% endif %}";

  @Test
  void aTemplateWithANativeToolSyntaxOffersToolsAndGenerates() {
    ChatFormat format = ChatFormat.template(TEMPLATE).toolCallSyntax(ToolCallSyntax.HERMES).build();
    try (LocalGptModel model =
        LocalGptModel.builder(TinyModels.tiny())
            .device(LocalDevice.cpu())
            .chatFormat(format)
            .build()) {
      ChatResponse response =
          model.chat(
              new ChatRequest(
                  List.of(Message.user("Weather in Paris?")),
                  List.of(ToolSpecification.withoutParameters("now", "The time")),
                  ChatOptions.builder().temperature(0).maxTokens(8).build()));

      assertThat(model.capabilities().toolCalling()).isTrue();
      assertThat(response.message().text()).doesNotContain("<tool_call>");
    }
  }

  @Test
  void aSpecialTokenTheTokenizerDoesNotKnowIsAClearError() {
    ChatFormat format =
        ChatFormat.template("{{ '<|im_start|>' + messages[0].content }}")
            .specialTokens(Set.of("<|im_start|>"))
            .build();
    try (LocalGptModel model =
        LocalGptModel.builder(TinyModels.tiny())
            .device(LocalDevice.cpu())
            .chatFormat(format)
            .build()) {
      assertThatThrownBy(() -> model.chat(ChatRequest.of(Message.user("Hi"))))
          .isInstanceOf(NonRetryableException.class)
          .hasMessageContaining("<|im_start|>");
    }
  }
}
