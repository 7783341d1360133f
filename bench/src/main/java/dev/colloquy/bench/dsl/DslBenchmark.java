package dev.colloquy.bench.dsl;

import dev.colloquy.bench.core.InstantChatModel;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.dsl.Bindings;
import dev.colloquy.dsl.Definitions;
import dev.colloquy.dsl.Dsl;
import dev.colloquy.dsl.Source;
import dev.colloquy.dsl.ast.DefinitionFile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Parse and compile time of a 5,000-line set of definitions: 100 files of 50 lines, each with a
 * template, an agent with tools, options and budgets, and a flow with classify, if, repeat,
 * parallel and each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DslBenchmark {

  private static final String FILE =
      """
      template prompt_%1$d(shop, hours) \"""
        You are the support assistant of {{shop}} (desk %1$d).
        - Greet the customer once, briefly.
        - For an order, call orderStatus with its id; never guess.
        - Returns are free within 30 days.
        - Opening hours: {{hours}}.
        Reply in JSON like {"answer": "...", "handover": false}.
        \"""

      agent support_%1$d {
        model "shop-model"
        system prompt_%1$d
        var shop = "Acme %1$d"
        var hours = "Mon-Fri 9:00-18:00"
        memory window 20
        tools orderStatus, refund
        options temperature 0.2, max_tokens 400, stop "###"
        budget rounds 5, tool_calls 8, tool_timeout 10s, deadline 1m
      }

      flow triage_%1$d {
        classify "shop-model" {
          when order_status {
            tool orderStatus
            agent support_%1$d
          }
          when returns {
            agent support_%1$d
          }
          else {
            call handOver
          }
        }
        if urgent {
          call notify
        } else {
          call archive
        }
        repeat max 3 until resolved {
          ask "shop-model" "Improve this answer: {{input}}"
        }
        parallel {
          branch {
            call translate
          }
          branch {
            call notify
          }
        } join merge
      }
      """;

  private List<Source> sources;
  private Bindings bindings;

  /** Builds the sources and the bindings once. */
  @Setup
  public void setUp() {
    sources = new ArrayList<>();
    int lines = 0;
    for (int i = 0; i < 100; i++) {
      String text = FILE.formatted(i);
      lines += (int) text.lines().count();
      sources.add(new Source("support_" + i + ".colloquy", text));
    }
    if (lines != 5_000) {
      throw new IllegalStateException("expected 5,000 lines, generated " + lines);
    }
    ChatModel model = new InstantChatModel("ok");
    Bindings.Builder b = Bindings.builder().model("shop-model", model);
    for (String tool : List.of("orderStatus", "refund")) {
      b.tool(
          ToolDefinition.builder(tool)
              .description(tool)
              .handler((arguments, context) -> "ok")
              .build());
    }
    for (String f : List.of("handOver", "notify", "archive", "translate", "merge")) {
      b.function(f, input -> input);
    }
    bindings = b.predicate("urgent", v -> false).predicate("resolved", v -> true).build();
  }

  /** Lexes and parses the 5,000 lines to syntax trees. */
  @Benchmark
  public List<DefinitionFile> parse() {
    List<DefinitionFile> files = new ArrayList<>(sources.size());
    for (Source s : sources) {
      files.add(Dsl.parse(s.name(), s.text()));
    }
    return files;
  }

  /** Parses, checks and compiles the 5,000 lines to core agents, templates and chains. */
  @Benchmark
  public Definitions parseAndCompile() {
    return Definitions.compile(sources, bindings);
  }
}
