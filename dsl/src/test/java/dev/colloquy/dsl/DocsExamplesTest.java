package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference and the editor grammar stay true to the parser. */
class DocsExamplesTest {
  private static final Path REFERENCE = Path.of("../docs/dsl.md");
  private static final List<String> KEYWORDS =
      List.of(
          "agent",
          "flow",
          "template",
          "secret",
          "model",
          "system",
          "var",
          "expect",
          "memory",
          "window",
          "tools",
          "options",
          "budget",
          "env",
          "guard",
          "input",
          "output",
          "refusal",
          "ask",
          "tool",
          "call",
          "if",
          "else",
          "classify",
          "when",
          "repeat",
          "max",
          "until",
          "parallel",
          "branch",
          "join",
          "each",
          "mcp",
          "command",
          "url",
          "header");

  private static List<String> definitionBlocks() {
    // Walk the fences line by line: only fences without a language can be definition files.
    List<String> blocks = new ArrayList<>();
    StringBuilder block = null;
    boolean inOtherFence = false;
    for (String line : Fixtures.read(REFERENCE).split("\n", -1)) {
      if (line.startsWith("```")) {
        if (block != null) {
          if (block.toString().matches("(?s)^(#|agent |flow |template |secret |mcp ).*")) {
            blocks.add(block.toString());
          }
          block = null;
        } else if (inOtherFence) {
          inOtherFence = false;
        } else if (line.equals("```")) {
          block = new StringBuilder();
        } else {
          inOtherFence = true;
        }
      } else if (block != null) {
        block.append(line).append('\n');
      }
    }
    return blocks;
  }

  @Test
  void everyWholeFileExampleInTheReferenceParses() {
    List<String> blocks = definitionBlocks();

    assertThat(blocks).hasSizeGreaterThanOrEqualTo(6);
    for (String block : blocks) {
      assertThat(Dsl.parse("docs/dsl.md", block).declarations()).as(block).isNotEmpty();
    }
  }

  @Test
  void theReferencesCustomerServiceAgentIsTheTestedOne() {
    String tested = Fixtures.read(Fixtures.GOLDEN.resolve("valid/shop-support.colloquy"));

    assertThat(definitionBlocks()).contains(tested);
  }

  @Test
  void theEditorGrammarIsJsonAndKnowsEveryKeyword() throws Exception {
    String grammar = Fixtures.read(Path.of("editors/colloquy.tmLanguage.json"));

    assertThat(new ObjectMapper().readTree(grammar).path("scopeName").asText())
        .isEqualTo("source.colloquy");
    for (String keyword : KEYWORDS) {
      assertThat(grammar).as(keyword).containsPattern("[(|]" + keyword + "[|)]");
    }
  }
}
