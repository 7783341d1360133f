package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.chain.ChainContext;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.SystemMessage;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.core.model.ToolSpecification;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Definitions compile to the same core agents and chains the fluent API builds. */
class CompileTest {

  /** A model whose reply is computed from the request. */
  record FunctionModel(Function<ChatRequest, String> reply) implements ChatModel {
    @Override
    public ModelCapabilities capabilities() {
      return new ModelCapabilities(4096, true, false, false, false);
    }

    @Override
    public ChatResponse generate(
        ChatRequest request, StreamListener listener, Cancellation cancellation) {
      return new ChatResponse(
          AssistantMessage.of(reply.apply(request)), FinishReason.STOP, TokenUsage.ZERO, "fn");
    }
  }

  private static Definitions shop(ChatModel model) {
    return Definitions.compile(
        List.of(
            new Source(
                "shop-support.colloquy",
                Fixtures.read(Fixtures.GOLDEN.resolve("valid/shop-support.colloquy")))),
        Fixtures.bindings(model));
  }

  private static String lastUserText(ChatRequest request) {
    Message last = request.messages().get(request.messages().size() - 1);
    return last.text();
  }

  @Test
  void anAgentSendsItsRenderedSystemPromptAndKeepsTheConversation() {
    Fixtures.RecordingModel model = new Fixtures.RecordingModel("Hello!");
    Agent support = shop(model).agent("support");

    assertThat(support.chat("customer-42", "Hi")).isEqualTo("Hello!");
    support.chat("customer-42", "Where is order 1001?");

    ChatRequest second = model.requests.get(1);
    assertThat(second.messages().get(0)).isInstanceOf(SystemMessage.class);
    assertThat(second.messages().get(0).text())
        .startsWith("You are the support assistant of Acme Shoes.")
        .contains("Opening hours: Mon-Fri 9:00-18:00.")
        .contains("{\"answer\": \"...\", \"handover\": false}");
    assertThat(second.messages()).hasSize(4);
    assertThat(second.options().temperature()).hasValue(0.2);
    assertThat(second.options().stop()).containsExactly("###");
  }

  @Test
  void anInputGuardBlocksATurnWithTheFilesRefusal() {
    Fixtures.RecordingModel model = new Fixtures.RecordingModel("Hello!");
    Agent support = shop(model).agent("support");

    String reply = support.chat("customer-42", "x".repeat(2001));

    assertThat(reply).isEqualTo("Sorry, I can only help with orders, returns and opening hours.");
    assertThat(model.requests).isEmpty();
  }

  @Test
  void toolsAndBudgetsReachTheAgentsToolboxAndAFlowIsOfferedAsATool() {
    Agent support = shop(new Fixtures.RecordingModel("ok")).agent("support");

    assertThat(support.toolbox().specifications())
        .extracting(ToolSpecification::name)
        .containsExactly("orderStatus", "refund", "triage");
    assertThat(support.toolbox().maxRoundTrips()).isEqualTo(5);
    assertThat(
            support.toolbox().tool("triage").orElseThrow().specification().parameters().required())
        .containsExactly("input");
  }

  @Test
  void aFlowClassifiesTheInputAndRunsTheChosenRoute() {
    ChatModel model =
        new FunctionModel(
            request ->
                request.messages().get(0).text().startsWith("Classify")
                    ? "opening_hours"
                    : "unused");
    Definitions definitions =
        Definitions.compile(
            List.of(
                new Source(
                    "shop.colloquy",
                    Fixtures.read(Fixtures.GOLDEN.resolve("valid/shop-support.colloquy")))),
            Bindings.builder()
                .model("shop-model", model)
                .tool(Fixtures.ORDER_STATUS)
                .tool(Fixtures.REFUND)
                .function("openingHours", input -> "We are open 9 to 18.")
                .function("handOver", input -> input)
                .guard("short_messages", dev.colloquy.core.guard.Guards.maxLength(2000))
                .environment(name -> java.util.Optional.of("secret-value"))
                .build());

    Object answer = definitions.flow("triage").run("When are you open?", ChainContext.of("c-1"));

    assertThat(answer).isEqualTo("We are open 9 to 18.");
  }

  @Test
  void anElseCaseIsOfferedToTheModelAsTheLabelOther() {
    List<String> offered = new java.util.concurrent.CopyOnWriteArrayList<>();
    ChatModel model =
        new FunctionModel(
            request -> {
              offered.add(request.messages().get(0).text());
              return "other";
            });
    Definitions definitions =
        Definitions.compile(
            List.of(
                new Source(
                    "f.colloquy",
                    """
        flow route {
          classify "m" {
            when refund {
              call refundFlow
            }
            else {
              call fallback
            }
          }
        }
        """)),
            Bindings.builder()
                .model("m", model)
                .function("refundFlow", i -> "refund")
                .function("fallback", i -> "fallback")
                .build());

    assertThat(definitions.flow("route").run("Hello", ChainContext.of("c-1")))
        .isEqualTo("fallback");
    assertThat(offered.get(0)).contains("refund, other");
  }

  @Test
  void aLoopStopsAtItsMaximumAndParallelBranchesJoinInOrder() {
    AtomicInteger iterations = new AtomicInteger();
    Definitions definitions =
        Definitions.compile(
            List.of(
                new Source(
                    "f.colloquy",
                    """
        flow work {
          repeat max 3 until never {
            call count
          }
          parallel {
            branch {
              call left
            }
            branch {
              call right
            }
          } join concat
          call split
          each {
            call upper
          }
        }
        """)),
            Bindings.builder()
                .predicate("never", v -> false)
                .function("count", v -> iterations.incrementAndGet())
                .function("left", v -> "L" + v)
                .function("right", v -> "R" + v)
                .function(
                    "concat",
                    v -> String.join(",", ((List<?>) v).stream().map(String::valueOf).toList()))
                .function("split", v -> List.of(((String) v).split(",")))
                .function("upper", v -> ((String) v).toLowerCase(java.util.Locale.ROOT))
                .build());

    Object result = definitions.flow("work").run("start", ChainContext.of("c-1"));

    assertThat(iterations).hasValue(3);
    assertThat(result).isEqualTo(List.of("l3", "r3"));
  }

  @Test
  void aToolStepTurnsTextIntoTheOnlyArgumentOfTheTool() {
    Definitions definitions =
        Definitions.compile(
            List.of(
                new Source(
                    "f.colloquy",
                    """
        flow lookup {
          tool orderStatus
        }
        """)),
            Bindings.builder().tool(Fixtures.ORDER_STATUS).build());

    assertThat(definitions.flow("lookup").run("1001", ChainContext.of("c-1")))
        .isEqualTo("order 1001: shipped");
    assertThat(definitions.flow("lookup").run("{\"orderId\": \"7\"}", ChainContext.of("c-1")))
        .isEqualTo("order 7: shipped");
  }

  @Test
  void aToolStepReadsJsonTextWithTheStrictArgumentParser() {
    Definitions definitions =
        Definitions.compile(
            List.of(
                new Source(
                    "f.colloquy",
                    """
        flow lookup {
          tool orderStatus
        }
        """)),
            Bindings.builder().tool(Fixtures.ORDER_STATUS).build());

    assertThatThrownBy(
            () ->
                definitions
                    .flow("lookup")
                    .run("{\"orderId\": \"7\", \"orderId\": \"8\"}", ChainContext.of("c-1")))
        .isInstanceOf(NonRetryableException.class)
        .hasMessageStartingWith(
            "tool step 'orderStatus': the input starts like a JSON object, but the arguments are"
                + " not valid JSON: ")
        .hasMessageContaining("'orderId'");
    assertThatThrownBy(
            () ->
                definitions
                    .flow("lookup")
                    .run("{\"orderId\": \"7\"} {\"orderId\": \"8\"}", ChainContext.of("c-1")))
        .isInstanceOf(NonRetryableException.class)
        .hasMessage(
            "tool step 'orderStatus': the input starts like a JSON object, but the arguments must be one JSON"
                + " object; more text follows it at line 1, column 18");
  }

  @Test
  void aSecretIsReadFromTheEnvironmentAndNeverPrinted() {
    Definitions definitions = shop(new Fixtures.RecordingModel("ok"));

    Secret key = definitions.secret("shop_api_key");

    assertThat(key.reveal()).isEqualTo("sk-test-123");
    assertThat(key.toString()).doesNotContain("sk-test-123").contains("***");
  }

  @Test
  void askingForAnUnknownAgentNamesTheNearestOne() {
    Definitions definitions = shop(new Fixtures.RecordingModel("ok"));

    assertThatThrownBy(() -> definitions.agent("suport"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("did you mean `support`?");
  }

  @Test
  void templatesCompileToDeclaredPromptTemplates() {
    Definitions definitions = shop(new Fixtures.RecordingModel("ok"));

    assertThat(definitions.template("support_prompt").variables())
        .containsExactly("shop", "opening_hours");
    assertThat(definitions.agentNames()).containsExactly("support", "human_handover");
    assertThat(definitions.flowNames()).containsExactly("triage");
  }
}
