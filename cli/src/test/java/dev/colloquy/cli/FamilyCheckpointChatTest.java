package dev.colloquy.cli;

import static dev.colloquy.cli.ColloquyCliTest.colloquy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.cli.ColloquyCliTest.Result;
import dev.colloquy.model.local.ScriptedCheckpoint;
import dev.colloquy.model.local.internal.gguf.GgmlType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code colloquy chat --model-dir} on models of the Llama-style families: a Qwen3 checkpoint with
 * the real Qwen3 tokenizer and chat template, scripted to answer as told ({@link
 * ScriptedCheckpoint}); it answers only after the template's {@code <|im_start|>assistant\n}, so a
 * reply shows that the model's own template framed the prompt.
 */
class FamilyCheckpointChatTest {

  @TempDir Path directory;

  @Test
  void chatOnAQwen3FolderRunsAPlainAssistantThroughTheModelsOwnTemplate() {
    Path checkpoint =
        ScriptedCheckpoint.replying("It is noon.")
            .writeHuggingFaceDirectory(directory.resolve("qwen3"));

    Result result =
        colloquy("What time is it?\n/history\n", "chat", "--model-dir", checkpoint.toString());

    assertThat(result.err()).isEmpty();
    assertThat(result.status()).isZero();
    assertThat(result.out())
        .contains("chatting with " + checkpoint)
        .contains("assistant> It is noon.\n")
        .contains("user: What time is it?\nassistant: It is noon.\n")
        .doesNotContain(ChatCommand.NO_TOOLS)
        .doesNotContain("<|im_end|>");
  }

  @Test
  void theShopAgentOnAGgufFileCallsOrderStatusInTheModelsToolFormat() {
    Path file =
        ScriptedCheckpoint.replying(
                "<tool_call>{\"name\":\"orderStatus\",\"arguments\":{\"orderId\":10234}}</tool_call>")
            .writeGguf(directory.resolve("qwen3-q8_0.gguf"), GgmlType.Q8_0);

    Result result =
        colloquy(
            "Where is my order 10234?\n/history\n",
            "chat",
            "--agent",
            "shop",
            "--model-dir",
            file.toString());

    assertThat(result.err()).isEmpty();
    assertThat(result.status()).isZero();
    // The script calls the tool whatever the tool says, so the turn ends at the round-trip budget.
    assertThat(result.out())
        .contains("assistant> [orderStatus {\"orderId\":10234}] [orderStatus {\"orderId\":10234}]")
        .contains("used all 10 model round trips and the model was still asking for tools")
        .doesNotContain("<tool_call>")
        .doesNotContain(ChatCommand.NO_TOOLS);
  }

  @Test
  void modelInfoDescribesAFamilyFolderAndAGgufFile() {
    ScriptedCheckpoint scripted = ScriptedCheckpoint.replying("It is noon.");
    Path folder = scripted.writeHuggingFaceDirectory(directory.resolve("qwen3"));
    Path file = scripted.writeGguf(directory.resolve("gguf").resolve("qwen3.gguf"), GgmlType.Q8_0);

    Result onFolder = colloquy("", "model", "info", folder.toString());
    assertThat(onFolder.status()).isZero();
    assertThat(onFolder.out())
        .contains("shape: qwen3, 1 layers, 4 heads, width 64, context 1024")
        .contains("file: tokenizer_config.json")
        .contains("chat format: template (tool calls: HERMES)")
        .contains("tool calling true");

    Result onFile = colloquy("", "model", "info", file.toString());
    assertThat(onFile.status()).isZero();
    assertThat(onFile.out())
        .contains("file: qwen3.gguf")
        .contains("chat format: template (tool calls: HERMES)")
        .contains("context 1024 tokens");
  }
}
