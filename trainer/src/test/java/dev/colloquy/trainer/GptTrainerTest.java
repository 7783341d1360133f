package dev.colloquy.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.model.local.LocalGptModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptTrainerTest {

  private static final ToolSpecification LOOKUP =
      ToolSpecification.withoutParameters("lookup", "Looks a number up");

  @TempDir Path directory;

  @Test
  void aFewStepsOnATinyModelLowerTheLossByAClearMargin() {
    TrainingResult result =
        GptTrainer.train(conversations(7, 200), TrainingConfig.tiny(3, 40), directory, line -> {});

    double first = result.losses().get(0);
    double last = result.losses().get(result.losses().size() - 1);
    assertThat(result.losses()).hasSize(40);
    assertThat(last).isLessThan(first * 0.6);
  }

  @Test
  void writesACheckpointTheNormalLoaderReadsWithTheToolFormat() throws Exception {
    GptTrainer.train(conversations(7, 50), TrainingConfig.tiny(3, 3), directory, line -> {});

    assertThat(directory.resolve("model.safetensors")).exists();
    assertThat(Files.readString(directory.resolve("generation_config.json")))
        .contains("\"chat_format\": \"colloquy\"");
    try (LocalGptModel model = LocalGptModel.load(directory)) {
      assertThat(model.capabilities().toolCalling()).isTrue();
      ChatResponse response =
          model.chat(
              new ChatRequest(
                  List.of(Message.user("hello 12")),
                  List.of(LOOKUP),
                  dev.colloquy.core.model.ChatOptions.builder().maxTokens(5).build()));
      assertThat(response.usage().outputTokens()).isBetween(1L, 5L);
    }
  }

  @Test
  void theSameSeedGivesTheSameLosses() {
    List<TrainingExample> data = conversations(7, 40);
    TrainingResult a =
        GptTrainer.train(data, TrainingConfig.tiny(5, 4), directory.resolve("a"), line -> {});
    TrainingResult b =
        GptTrainer.train(data, TrainingConfig.tiny(5, 4), directory.resolve("b"), line -> {});

    assertThat(a.losses()).isEqualTo(b.losses());
  }

  @Test
  void dropoutChangesTheTrainingPassButStillLearns() {
    List<TrainingExample> data = conversations(7, 200);
    TrainingConfig tiny = TrainingConfig.tiny(3, 40);
    TrainingConfig plain =
        new TrainingConfig(
            tiny.layers(),
            tiny.heads(),
            tiny.width(),
            tiny.contextLength(),
            tiny.vocabularySize(),
            tiny.steps(),
            tiny.batchSize(),
            tiny.peakLearningRate(),
            tiny.warmupSteps(),
            tiny.weightDecay(),
            tiny.clipNorm(),
            0.0,
            tiny.seed(),
            tiny.logEvery(),
            tiny.checkpointEvery(),
            tiny.dtype());

    TrainingResult dropped = GptTrainer.train(data, tiny, directory.resolve("dropout"), line -> {});
    TrainingResult kept = GptTrainer.train(data, plain, directory.resolve("plain"), line -> {});

    assertThat(tiny.dropout()).isPositive();
    assertThat(dropped.losses().get(0)).isNotEqualTo(kept.losses().get(0));
    assertThat(dropped.losses().get(39)).isLessThan(dropped.losses().get(0) * 0.6);
  }

  @Test
  void aDropoutRateOfOneOrMoreIsRefusedNamingTheValue() {
    TrainingConfig tiny = TrainingConfig.tiny(3, 4);
    assertThatThrownBy(
            () ->
                new TrainingConfig(
                    tiny.layers(),
                    tiny.heads(),
                    tiny.width(),
                    tiny.contextLength(),
                    tiny.vocabularySize(),
                    tiny.steps(),
                    tiny.batchSize(),
                    tiny.peakLearningRate(),
                    tiny.warmupSteps(),
                    tiny.weightDecay(),
                    tiny.clipNorm(),
                    1.0,
                    tiny.seed(),
                    tiny.logEvery(),
                    tiny.checkpointEvery(),
                    tiny.dtype()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dropout must be in [0, 1): 1.0");
  }

  /** Conversations with a strict pattern: echo the number through a tool, then say it. */
  static List<TrainingExample> conversations(long seed, int count) {
    SplittableRandom random = new SplittableRandom(seed);
    List<TrainingExample> examples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = 100 + random.nextInt(900);
      ToolCall call = new ToolCall("call_1", "lookup", "{\"n\":" + n + "}");
      examples.add(
          new TrainingExample(
              List.of(
                  Message.system("Be brief."),
                  Message.user("look up " + n),
                  AssistantMessage.ofToolCalls(List.of(call)),
                  ToolResultMessage.of(call, "{\"value\":" + n + "}"),
                  Message.assistant("The value is " + n + ".")),
              List.of(LOOKUP)));
    }
    return examples;
  }
}
