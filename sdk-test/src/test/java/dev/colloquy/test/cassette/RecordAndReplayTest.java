package dev.colloquy.test.cassette;

import static dev.colloquy.test.ColloquyAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.JsonSchema;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.ResponseFormat;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.test.ScriptedChatModel;
import dev.colloquy.test.ScriptedReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordAndReplayTest {

  @TempDir Path dir;

  private static ChatRequest ask(String text, long seed) {
    return new ChatRequest(
        List.of(Message.system("Be brief."), Message.user(text)),
        List.of(),
        ChatOptions.builder().temperature(0).seed(seed).build());
  }

  private static ScriptedChatModel live() {
    return ScriptedChatModel.builder()
        .reply(ScriptedReply.chunks("Order ", "1001 ", "shipped."))
        .reply(ScriptedReply.toolCall("refund", "{\"orderId\":1001}"))
        .reply(ScriptedReply.rateLimited(java.time.Duration.ofSeconds(1)))
        .build();
  }

  private Path recordThreeCalls() {
    Path file = dir.resolve("cassettes/OrderTest/ships.json");
    ChatModel recording = RecordingChatModel.recording(live(), file);
    recording.chat(ask("Where is order 1001?", 1));
    recording.chat(ask("Refund it", 1));
    assertThatThrownBy(() -> recording.chat(ask("Again", 1)))
        .isInstanceOf(RetryableException.class);
    return file;
  }

  @Test
  void replayServesRecordedAnswersChunksToolCallsAndFailuresWithoutTheLiveModel() {
    Path file = recordThreeCalls();
    ReplayingChatModel replay = ReplayingChatModel.replaying(file, RequestMatcher.exact());
    List<String> chunks = new ArrayList<>();

    assertThat(replay.generate(ask("Where is order 1001?", 1), chunks::add, Cancellation.none()))
        .hasText("Order 1001 shipped.");
    assertThat(chunks).containsExactly("Order ", "1001 ", "shipped.");
    assertThat(replay.chat(ask("Refund it", 1))).hasToolCall("refund");
    assertThatThrownBy(() -> replay.chat(ask("Again", 1)))
        .isInstanceOf(RetryableException.class)
        .hasMessage("429 Too Many Requests (scripted): retry after PT1S");
    assertThat(replay.remainingInteractions()).isZero();
  }

  @Test
  void theCassetteIsReadableJson() throws Exception {
    Path file = recordThreeCalls();

    String json = Files.readString(file);

    assertThat(json)
        .startsWith(
            "{\n  \"format\" : \"colloquy-cassette/1\",\n  \"interactions\" : [ {\n"
                + "    \"request\" : {\n      \"messages\" : [ {\n        \"role\" : \"system\",\n        \"text\" : \"Be brief.\"");
    assertThat(json).contains("\"chunks\" : [ \"Order \", \"1001 \", \"shipped.\" ]");
  }

  @Test
  void aRequestThatMatchesNothingFailsWithADiffAgainstTheNearestRecordedRequest() {
    Path file = recordThreeCalls();
    ReplayingChatModel replay = ReplayingChatModel.replaying(file, RequestMatcher.exact());

    assertThatThrownBy(() -> replay.chat(ask("Where is order 1002?", 2)))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage(
            "No recorded interaction in "
                + file
                + " matches request #1 (matching: exact).\n"
                + "Nearest recorded request is interaction #1; they differ at:\n"
                + "  messages[1].text\n"
                + "    recorded: \"Where is order 1001?\"\n"
                + "    actual:   \"Where is order 1002?\"\n"
                + "  options.seed\n"
                + "    recorded: 1\n"
                + "    actual:   2\n"
                + "Re-record with -Dcolloquy.cassette.mode=record (or COLLOQUY_CASSETTE_MODE=record),"
                + " or ignore the field with RequestMatcher.ignoring(...).");
  }

  @Test
  void ignoredFieldsDoNotTakePartInMatching() {
    Path file = recordThreeCalls();
    ReplayingChatModel replay =
        ReplayingChatModel.replaying(file, RequestMatcher.exact().ignoring("options.seed"));

    assertThat(replay.chat(ask("Where is order 1001?", 99))).hasText("Order 1001 shipped.");
  }

  @Test
  void keysAndAuthorizationAreRemovedFromTheCassetteAndStillMatchOnReplay() throws Exception {
    Path file = dir.resolve("secret.json");
    String secretText = "Authorization: Bearer abcdEFGH12345678 and key sk-0123456789abcdefXYZ";
    RecordingChatModel.recording(ScriptedChatModel.alwaysReplying("ok"), file)
        .chat(ask(secretText, 1));

    String json = Files.readString(file);

    assertThat(json)
        .doesNotContain("abcdEFGH12345678")
        .doesNotContain("sk-0123456789abcdefXYZ")
        .contains("Authorization: Bearer [REDACTED] and key [REDACTED]");
    assertThat(ReplayingChatModel.replaying(file, RequestMatcher.exact()).chat(ask(secretText, 1)))
        .hasText("ok");
  }

  @Test
  void aKeySplitAcrossStreamedChunksIsNotSavedInClear() throws Exception {
    Path file = dir.resolve("split.json");
    ScriptedChatModel live =
        ScriptedChatModel.builder()
            .reply(ScriptedReply.chunks("token sk-0123", "456789abcdef", "XYZ done"))
            .build();
    List<String> delivered = new ArrayList<>();

    RecordingChatModel.recording(live, file)
        .generate(ask("show it", 1), delivered::add, Cancellation.none());

    String json = Files.readString(file);
    assertThat(delivered).containsExactly("token sk-0123", "456789abcdef", "XYZ done");
    assertThat(json)
        .doesNotContain("sk-0123")
        .doesNotContain("456789abcdef")
        .contains("\"chunks\" : [ \"token \", \"[REDACTED] done\" ]");
    List<String> replayed = new ArrayList<>();
    assertThat(
            ReplayingChatModel.replaying(file, RequestMatcher.exact())
                .generate(ask("show it", 1), replayed::add, Cancellation.none()))
        .hasText("token [REDACTED] done");
    assertThat(String.join("", replayed)).isEqualTo("token [REDACTED] done");
  }

  @Test
  void theLiveModelsConfiguredKeyIsRemovedByValueWhateverItsShape() throws Exception {
    String azureKey = "0f3a9c7d21b84e6fa5d09c1b7e2f4a68";
    Path file = dir.resolve("azure.json");
    ChatModel live =
        new KeyHoldingModel(
            ScriptedChatModel.builder()
                .reply(ScriptedReply.chunks("your key: 0f3a9c7d21b8", "4e6fa5d09c1b7e2f4a68."))
                .reply(
                    ScriptedReply.failure(
                        () -> new RetryableException("key " + azureKey + " is throttled")))
                .build(),
            SecretRedactor.of(azureKey));
    ChatModel recording =
        Cassettes.model(file, CassetteMode.RECORD, RequestMatcher.exact(), () -> live);

    recording.generate(ask("my key is " + azureKey, 1), delta -> {}, Cancellation.none());
    assertThatThrownBy(() -> recording.chat(ask("again", 1)))
        .isInstanceOf(RetryableException.class);

    String json = Files.readString(file);
    assertThat(json)
        .doesNotContain(azureKey)
        .doesNotContain("0f3a9c7d21b8")
        .doesNotContain("4e6fa5d09c1b7e2f4a68")
        .contains("my key is [REDACTED]", "key [REDACTED] is throttled", "your key: [REDACTED].");
  }

  @Test
  void secretsGivenToTheRecorderAreRemovedTooEvenShortOnes() throws Exception {
    Path file = dir.resolve("given.json");
    ChatModel recording =
        Cassettes.model(
            file,
            CassetteMode.RECORD,
            RequestMatcher.exact(),
            () -> ScriptedChatModel.alwaysReplying("echo q7z"),
            SecretRedactor.of("q7z"));

    recording.chat(ask("the key is q7z", 1));

    assertThat(Files.readString(file))
        .doesNotContain("q7z")
        .contains("the key is [REDACTED]", "echo [REDACTED]");
    assertThat(recording.secretRedactor()).isPresent();
  }

  /** A real backend (scripted) that, like a remote one, reports the key it was configured with. */
  private record KeyHoldingModel(ChatModel delegate, SecretRedactor secrets) implements ChatModel {
    @Override
    public ModelCapabilities capabilities() {
      return delegate.capabilities();
    }

    @Override
    public ChatResponse generate(
        ChatRequest request, StreamListener listener, Cancellation cancellation) {
      return delegate.generate(request, listener, cancellation);
    }

    @Override
    public Optional<SecretRedactor> secretRedactor() {
      return Optional.of(secrets);
    }
  }

  @Test
  void aStrictSchemaIsRecordedAndDoesNotMatchALooseOne() throws Exception {
    Path file = dir.resolve("strict.json");
    JsonSchema schema = JsonSchema.parse("{\"type\": \"object\"}");
    ChatRequest strict =
        ask("as JSON", 1)
            .withOptions(
                ChatOptions.builder()
                    .temperature(0)
                    .seed(1)
                    .responseFormat(ResponseFormat.strictJsonSchema("answer", schema))
                    .build());
    RecordingChatModel.recording(ScriptedChatModel.alwaysReplying("{}"), file).chat(strict);

    assertThat(Files.readString(file)).contains("\"strict\" : true");
    ReplayingChatModel replay = ReplayingChatModel.replaying(file, RequestMatcher.exact());
    assertThatThrownBy(
            () ->
                replay.chat(
                    strict.withOptions(
                        ChatOptions.builder()
                            .temperature(0)
                            .seed(1)
                            .responseFormat(ResponseFormat.jsonSchema("answer", schema))
                            .build())))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("options.responseFormat.strict");
    assertThat(replay.chat(strict)).hasText("{}");
  }

  @Test
  void aMissingCassetteInReplayModeSaysHowToRecordIt() {
    Path file = dir.resolve("missing.json");

    assertThatThrownBy(
            () ->
                Cassettes.model(
                    file, CassetteMode.REPLAY, RequestMatcher.exact(), RecordAndReplayTest::live))
        .hasMessage(
            "cassette "
                + file
                + " does not exist. Record it by running this test with"
                + " -Dcolloquy.cassette.mode=record (or COLLOQUY_CASSETTE_MODE=record-when-missing)");
  }

  @Test
  void recordWhenMissingRecordsOnceThenReplays() {
    Path file = dir.resolve("once.json");
    ChatModel first =
        Cassettes.model(
            file,
            CassetteMode.RECORD_WHEN_MISSING,
            RequestMatcher.exact(),
            RecordAndReplayTest::live);
    first.chat(ask("Where is order 1001?", 1));

    ChatModel second =
        Cassettes.model(
            file,
            CassetteMode.RECORD_WHEN_MISSING,
            RequestMatcher.exact(),
            () -> {
              throw new AssertionError("the live model must not be made when the cassette exists");
            });

    assertThat(first).isInstanceOf(RecordingChatModel.class);
    assertThat(second).isInstanceOf(ReplayingChatModel.class);
    assertThat(second.chat(ask("Where is order 1001?", 1))).hasText("Order 1001 shipped.");
  }

  @Test
  void theModeComesFromTheSystemPropertyFirstThenTheEnvironmentThenDefaultsToReplay() {
    Map<String, String> none = Map.of();
    Map<String, String> property = Map.of(CassetteMode.PROPERTY, "record");
    Map<String, String> env = Map.of(CassetteMode.ENVIRONMENT_VARIABLE, "record-when-missing");

    assertThat(CassetteMode.resolve(property::get, env::get)).isEqualTo(CassetteMode.RECORD);
    assertThat(CassetteMode.resolve(none::get, env::get))
        .isEqualTo(CassetteMode.RECORD_WHEN_MISSING);
    assertThat(CassetteMode.resolve(none::get, none::get)).isEqualTo(CassetteMode.REPLAY);
    assertThatThrownBy(
            () -> CassetteMode.resolve(Map.of(CassetteMode.PROPERTY, "rec")::get, none::get))
        .hasMessage(
            "system property colloquy.cassette.mode is 'rec'; expected one of record, replay, record-when-missing");
  }

  @Test
  void matcherPathsAreValidatedAndNotRepeated() {
    assertThatThrownBy(() -> RequestMatcher.exact().ignoring("messages[x].text"))
        .hasMessage(
            "invalid field path 'messages[x].text': expected names separated by dots, each optionally"
                + " followed by [n] or [*], as messages[*].text");
    assertThatThrownBy(() -> RequestMatcher.exact().ignoring("tools", "tools"))
        .hasMessage("field path 'tools' is already ignored");
  }
}
