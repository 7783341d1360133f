package dev.colloquy.e2e;

import static dev.colloquy.e2e.SpanRecorder.attribute;
import static dev.colloquy.e2e.SpanRecorder.attributes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Turn;
import dev.colloquy.core.chain.Chain;
import dev.colloquy.core.chain.ChainContext;
import dev.colloquy.core.guard.PiiRedactor;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.observe.Tracing;
import dev.colloquy.core.prompt.PromptTemplate;
import dev.colloquy.core.resilience.FallbackChatModel;
import dev.colloquy.core.resilience.ResiliencePolicy;
import dev.colloquy.core.tool.Tool;
import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.core.tool.ToolParam;
import dev.colloquy.dsl.Bindings;
import dev.colloquy.dsl.Definitions;
import dev.colloquy.dsl.Source;
import dev.colloquy.test.ScriptedChatModel;
import dev.colloquy.test.ScriptedReply;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The spans of turns, model calls, retries, fallbacks, tools and chains, exported through
 * Micrometer's OpenTelemetry bridge to an in-memory exporter: the tree, the GenAI attributes, and
 * that no span is left open however the work ends.
 */
class TracingTest {

  private final SpanRecorder recorder = new SpanRecorder();

  public static class Orders {
    @Tool(description = "Status of an order")
    public String orderStatus(@ToolParam(name = "orderId") int orderId) {
      return "order " + orderId + ": shipped";
    }

    @Tool(description = "Mails the customer")
    public String mail(@ToolParam(name = "to") String to) {
      return "mailed " + to;
    }

    @Tool(description = "Always fails")
    public String broken(@ToolParam(name = "orderId") int orderId) {
      throw new IllegalStateException("database down for order " + orderId);
    }
  }

  @AfterEach
  void nothingIsLeftOpen() {
    recorder.assertNothingLeftOpen();
  }

  private Agent.Builder agent(ChatModel model) {
    return Agent.builder().name("shop").model(model).tracing(recorder.tracing());
  }

  @Test
  void aPlainTurnIsAnAgentSpanHoldingOneChatSpan() {
    ScriptedChatModel model =
        ScriptedChatModel.builder().reply(ScriptedReply.text("Hello!").withUsage(12, 3)).build();

    agent(model).build().chat("c1", "Hi");

    assertThat(recorder.tree()).isEqualTo("invoke_agent shop\n  chat\n");
    SpanData turn = recorder.span("invoke_agent shop");
    assertThat(attributes(turn))
        .containsEntry("gen_ai.operation.name", "invoke_agent")
        .containsEntry("gen_ai.agent.name", "shop")
        .containsEntry("gen_ai.conversation.id", "c1")
        .containsEntry("gen_ai.usage.input_tokens", "12")
        .containsEntry("gen_ai.usage.output_tokens", "3")
        .containsEntry("gen_ai.response.finish_reasons", "[\"stop\"]");
    SpanData chat = recorder.span("chat");
    assertThat(chat.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(attributes(chat))
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.conversation.id", "c1")
        .containsEntry("gen_ai.response.model", "scripted")
        .containsEntry("gen_ai.usage.input_tokens", "12")
        .containsEntry("gen_ai.response.finish_reasons", "[\"stop\"]")
        .doesNotContainKeys("gen_ai.input.messages", "gen_ai.output.messages");
    assertThat(chat.getParentSpanId()).isEqualTo(turn.getSpanId());
    assertThat(chat.getTraceId()).isEqualTo(turn.getTraceId());
  }

  @Test
  void aTurnWithAToolCallIsChatThenToolThenChatUnderTheTurn() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyToolCall("orderStatus", "{\"orderId\": 1001}")
            .reply("Order 1001 has shipped.")
            .build();

    agent(model).tools(new Orders()).build().chat("c1", "Where is order 1001?");

    assertThat(recorder.tree())
        .isEqualTo(
            """
            invoke_agent shop
              chat
              execute_tool orderStatus
              chat
            """);
    SpanData turn = recorder.span("invoke_agent shop");
    SpanData tool = recorder.span("execute_tool orderStatus");
    assertThat(tool.getParentSpanId()).isEqualTo(turn.getSpanId());
    assertThat(tool.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    assertThat(attributes(tool))
        .containsEntry("gen_ai.operation.name", "execute_tool")
        .containsEntry("gen_ai.tool.name", "orderStatus")
        .containsEntry("gen_ai.tool.type", "function")
        .containsEntry("gen_ai.conversation.id", "c1")
        .containsKey("gen_ai.tool.call.id")
        .doesNotContainKeys("gen_ai.tool.call.arguments", "gen_ai.tool.call.result");
    List<SpanData> chats = recorder.spans("chat");
    assertThat(chats).hasSize(2);
    assertThat(attribute(chats.get(0), "gen_ai.response.finish_reasons"))
        .isEqualTo("[\"tool_calls\"]");
    assertThat(chats.get(0).getEndEpochNanos()).isLessThanOrEqualTo(tool.getStartEpochNanos());
    assertThat(tool.getEndEpochNanos()).isLessThanOrEqualTo(chats.get(1).getStartEpochNanos());
    assertThat(recorder.spans()).extracting(SpanData::getTraceId).containsOnly(turn.getTraceId());
  }

  @Test
  void aRetriedCallIsOneChatSpanWithASpanPerAttempt() {
    ScriptedChatModel backend =
        ScriptedChatModel.builder()
            .reply(ScriptedReply.rateLimited(Duration.ofMillis(5)))
            .reply("Hello!")
            .build();
    ChatModel model =
        ResiliencePolicy.builder()
            .maxAttempts(3)
            .sleeper((duration, cancellation) -> {})
            .build()
            .decorate("gpt-test", backend);

    agent(model).build().chat("c1", "Hi");

    assertThat(recorder.tree())
        .isEqualTo(
            """
            invoke_agent shop
              chat gpt-test
                attempt gpt-test !
                attempt gpt-test
            """);
    List<SpanData> attempts = recorder.spans("attempt gpt-test");
    assertThat(attempts)
        .extracting(span -> attribute(span, "colloquy.attempt"))
        .containsExactly("1", "2");
    assertThat(attribute(attempts.get(0), "error.type"))
        .isEqualTo("dev.colloquy.core.RetryableException");
    assertThat(attributes(recorder.span("chat gpt-test")))
        .containsEntry("gen_ai.request.model", "gpt-test")
        .containsEntry("gen_ai.response.model", "scripted")
        .doesNotContainKey("error.type");
  }

  @Test
  void aFallbackShowsEachModelTriedUnderTheOneChatSpan() {
    ScriptedChatModel failing =
        ScriptedChatModel.builder()
            .reply(ScriptedReply.failure(() -> new NonRetryableException("401 bad key (scripted)")))
            .build();
    ScriptedChatModel local =
        ScriptedChatModel.builder().modelId("local-gpt2").reply("Hi!").build();
    ResiliencePolicy policy =
        ResiliencePolicy.builder().maxAttempts(2).sleeper((duration, cancellation) -> {}).build();
    ChatModel model =
        FallbackChatModel.of(policy.decorate("gpt-test", failing), policy.decorate("local", local));

    agent(model).build().chat("c1", "Hi");

    assertThat(recorder.tree())
        .isEqualTo(
            """
            invoke_agent shop
              chat gpt-test
                fallback gpt-test !
                  attempt gpt-test !
                fallback local
                  attempt local
            """);
    assertThat(attributes(recorder.span("chat gpt-test")))
        .containsEntry("gen_ai.request.model", "gpt-test")
        .containsEntry("gen_ai.response.model", "local-gpt2");
    assertThat(recorder.spans("fallback local"))
        .extracting(span -> attribute(span, "colloquy.fallback.index"))
        .containsExactly("1");
  }

  @Test
  void aFailingTurnEndsEverySpanWithAnErrorStatus() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyToolCall("broken", "{\"orderId\": 7}")
            .reply(ScriptedReply.failure(() -> new NonRetryableException("400 (scripted)")))
            .build();

    assertThatThrownBy(() -> agent(model).tools(new Orders()).build().chat("c1", "Hi"))
        .isInstanceOf(NonRetryableException.class);

    assertThat(recorder.tree())
        .isEqualTo(
            """
            invoke_agent shop !
              chat
              execute_tool broken !
              chat !
            """);
    SpanData tool = recorder.span("execute_tool broken");
    assertThat(attribute(tool, "error.type")).isEqualTo("failed");
    // The tool's own message stays out of spans unless content is captured: it could hold anything.
    assertThat(tool.getEvents().toString()).doesNotContain("database down");
    assertThat(attribute(recorder.span("invoke_agent shop"), "error.type"))
        .isEqualTo("dev.colloquy.core.NonRetryableException");
  }

  @Test
  void aStreamCancelledMidwayEndsItsSpansWhenTheStreamStops() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .chunkSize(3)
            .reply("A long answer that the user stops reading.")
            .build();
    Cancellation cancellation = Cancellation.create();
    StringBuilder shown = new StringBuilder();
    Turn turn =
        Turn.of("c1", "Tell me everything")
            .withCancellation(cancellation)
            .withListener(
                delta -> {
                  shown.append(delta);
                  if (shown.length() >= 6) {
                    cancellation.cancel();
                  }
                });

    assertThatThrownBy(() -> agent(model).build().run(turn)).isInstanceOf(CancelledException.class);

    assertThat(shown.toString()).isEqualTo("A long");
    assertThat(recorder.tree()).isEqualTo("invoke_agent shop !\n  chat !\n");
    assertThat(attribute(recorder.span("chat"), "error.type"))
        .isEqualTo("dev.colloquy.core.CancelledException");
  }

  @Test
  void aChainWithStepsNestsItsToolAgentAndParallelModelSpans() {
    Tracing tracing = recorder.tracing();
    ToolDefinition status =
        ToolDefinition.fromAnnotated(new Orders()).stream()
            .filter(tool -> tool.name().equals("orderStatus"))
            .findFirst()
            .orElseThrow();
    ScriptedChatModel model = ScriptedChatModel.builder().otherwise(request -> "fine").build();
    Agent shop = agent(model).build();
    Chain<String, String> summary =
        Chain.model(
            model, PromptTemplate.of("summary", "Summarise {{input}}"), ChatOptions.defaults());
    Chain<String, String> flow =
        tracing.workflow(
            "support",
            tracing
                .step("lookup", Chain.tool(status, (String text) -> Map.of("orderId", 1001)))
                .then(tracing.step("answer", Chain.agent(shop)))
                .then(
                    tracing.step(
                        "both",
                        Chain.parallel(List.of(summary, summary))
                            .then(Chain.of(parts -> String.join("/", parts))))));

    assertThat(flow.run("order 1001?", ChainContext.of("c9"))).isEqualTo("fine/fine");

    assertThat(recorder.tree())
        .isEqualTo(
            """
            invoke_workflow support
              step lookup
                execute_tool orderStatus
              step answer
                invoke_agent shop
                  chat
              step both
                chat
                chat
            """);
    assertThat(attributes(recorder.span("invoke_workflow support")))
        .containsEntry("gen_ai.operation.name", "invoke_workflow")
        .containsEntry("gen_ai.workflow.name", "support")
        .containsEntry("gen_ai.conversation.id", "c9");
    assertThat(attribute(recorder.span("step lookup"), "colloquy.chain.step")).isEqualTo("lookup");
  }

  @Test
  void aDecoratedModelNamesTheChatSpanAndItsProvider() {
    ScriptedChatModel backend = ScriptedChatModel.alwaysReplying("Hi!");

    agent(recorder.tracing().decorate("openai", "gpt-4o-mini", backend)).build().chat("c1", "Hi");

    assertThat(recorder.tree()).isEqualTo("invoke_agent shop\n  chat gpt-4o-mini\n");
    assertThat(attributes(recorder.span("chat gpt-4o-mini")))
        .containsEntry("gen_ai.provider.name", "openai")
        .containsEntry("gen_ai.request.model", "gpt-4o-mini");
  }

  @Test
  void aModelCalledOutsideAnAgentThroughTheDecoratorHasItsOwnChatSpan() {
    ChatModel model =
        recorder.tracing().decorate("gpt-test", ScriptedChatModel.alwaysReplying("4"));

    model.chat(
        new dev.colloquy.core.model.ChatRequest(
            List.of(dev.colloquy.core.message.Message.user("2+2?")),
            List.of(),
            ChatOptions.defaults()));

    assertThat(recorder.tree()).isEqualTo("chat gpt-test\n");
  }

  @Test
  void capturedContentIsRedactedAndOffByDefault() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyToolCall("mail", "{\"to\": \"[EMAIL_1]\"}")
            .reply("Mailed [EMAIL_1].")
            .build();
    Tracing capturing = Tracing.builder(recorder.registry()).captureContent(true).build();

    String reply =
        Agent.builder()
            .name("shop")
            .model(model)
            .tools(new Orders())
            .redaction(PiiRedactor.all())
            .tracing(capturing)
            .build()
            .chat("c1", "Mail jane@example.com please, my key is sk-abcdefghijklmnopqrstuvwx");

    assertThat(reply).isEqualTo("Mailed jane@example.com.");
    String everything = recorder.spans().toString();
    assertThat(everything)
        .doesNotContain("jane@example.com")
        .doesNotContain("sk-abcdefghijklmnopqrstuvwx");
    SpanData firstChat = recorder.spans("chat").get(0);
    assertThat(attribute(firstChat, "gen_ai.input.messages"))
        .contains("\"role\":\"user\"")
        .contains("Mail [EMAIL_1] please");
    assertThat(attribute(firstChat, "gen_ai.output.messages"))
        .contains("\"type\":\"tool_call\"")
        .contains("\"finish_reason\":\"tool_calls\"");
    SpanData tool = recorder.span("execute_tool mail");
    // The tool got the real address; its span shows it redacted again.
    assertThat(attribute(tool, "gen_ai.tool.call.arguments"))
        .contains("[EMAIL")
        .doesNotContain("jane");
    assertThat(attribute(tool, "gen_ai.tool.call.result")).startsWith("mailed [EMAIL");
  }

  @Test
  void anAgentWithoutTracingMakesNoSpans() {
    Agent.builder().model(ScriptedChatModel.alwaysReplying("Hi!")).build().chat("c1", "Hi");

    assertThat(recorder.spans()).isEmpty();
  }

  @Test
  void anAgentDefinedInAFileIsTracedUnderItsOwnName() {
    Definitions definitions =
        Definitions.compile(
            List.of(
                new Source(
                    "shop.colloquy",
                    "agent assistant {\n  model \"default\"\n  system \"You help.\"\n}\n")),
            Bindings.builder()
                .model("default", ScriptedChatModel.alwaysReplying("Hi!"))
                .tracing(recorder.tracing())
                .build());

    definitions.agent("assistant").chat("c1", "Hi");

    assertThat(recorder.tree()).isEqualTo("invoke_agent assistant\n  chat\n");
  }

  @Test
  void theTracingBuilderRejectsARepeatedOrOutOfRangeSettingNamingIt() {
    Tracing.Builder builder = Tracing.builder(recorder.registry()).captureContent(true);

    assertThatThrownBy(() -> builder.captureContent(false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("captureContent was already set to true");
    assertThatThrownBy(() -> builder.maxContentChars(99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxContentChars must be from 100 to 1,000,000, was 99");
    assertThatThrownBy(() -> recorder.tracing().decorate(" ", ScriptedChatModel.alwaysReplying("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model must not be blank");
    assertThat(builder.build().capturesContent()).isTrue();
    assertThat(recorder.tracing().capturesContent()).isFalse();
  }
}
