package dev.colloquy.test.script;

import dev.colloquy.core.agent.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * A conversation script: user turns and what must follow each, run as JUnit dynamic tests.
 *
 * <pre>
 * # refunds.chat
 * conversation "refund a late order"
 * user: I want a refund for order 1001, it is late
 *   expect tool refund {"orderId": 1001}
 *   expect contains "refund"
 *   expect not contains "sorry"
 * user: When will I get the money?
 *   expect matches /\d+ (business )?days/
 *
 * conversation "order status as JSON"
 * user: status of 1001 as JSON
 *   expect json {"orderId": "integer", "status": "string"}
 * </pre>
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> refunds() {
 *   return ConversationScript.load(Path.of("src/test/resources/refunds.chat"))
 *       .dynamicTests(ConversationTarget.of(agent));
 * }
 * }</pre>
 *
 * <p>Each conversation is one test, run in its own conversation id ({@code file#name}); its turns
 * run in order and stop at the first unmet expectation, which fails with the file, line and column
 * of the expectation, what was expected and what the reply was. Immutable.
 */
public final class ConversationScript {

  private final String file;
  private final URI source;
  private final List<Conversation> conversations;

  private ConversationScript(String file, URI source, List<Conversation> conversations) {
    this.file = file;
    this.source = source;
    this.conversations = conversations;
  }

  /**
   * Parses a script.
   *
   * @param file the name used in error messages, usually the file name
   * @param text the script
   * @throws ScriptException when the script is malformed, pointing at line and column
   */
  public static ConversationScript parse(String file, String text) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(text, "text");
    return new ConversationScript(file, null, ScriptParser.parse(file, text));
  }

  /**
   * Reads and parses a script file (UTF-8).
   *
   * @throws ScriptException when the script is malformed
   * @throws UncheckedIOException when it cannot be read
   */
  public static ConversationScript load(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read conversation script " + path + ": " + e.getMessage(), e);
    }
    return new ConversationScript(
        path.toString(), path.toUri(), ScriptParser.parse(path.toString(), text));
  }

  /** Returns the names of the conversations, in order. */
  public List<String> conversationNames() {
    return conversations.stream().map(Conversation::name).toList();
  }

  /** Returns one dynamic test per conversation, run against the target. */
  public Stream<DynamicTest> dynamicTests(ConversationTarget target) {
    Objects.requireNonNull(target, "target");
    return conversations.stream()
        .map(
            c ->
                source == null
                    ? DynamicTest.dynamicTest(c.name(), () -> run(c, target))
                    : DynamicTest.dynamicTest(
                        c.name(), URI.create(source + "?line=" + c.line()), () -> run(c, target)));
  }

  /**
   * Runs one conversation by name, outside JUnit's dynamic tests.
   *
   * @throws AssertionError at the first unmet expectation
   */
  public void run(String conversationName, ConversationTarget target) {
    Conversation conversation =
        conversations.stream()
            .filter(c -> c.name().equals(conversationName))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no conversation \""
                            + conversationName
                            + "\" in "
                            + file
                            + "; it holds "
                            + conversationNames()));
    run(conversation, target);
  }

  private void run(Conversation conversation, ConversationTarget target) {
    String conversationId = file + "#" + conversation.name();
    for (Step step : conversation.steps()) {
      Reply reply = target.send(conversationId, step.text());
      for (Located located : step.expectations()) {
        Optional<String> problem = located.expectation().check(reply);
        if (problem.isPresent()) {
          Expectation.Position at = located.position();
          int column = at.source().length() - at.source().stripLeading().length() + 1;
          throw new AssertionError(
              file
                  + ":"
                  + at.line()
                  + ":"
                  + column
                  + ": expected "
                  + located.expectation().describe()
                  + " after \""
                  + step.text()
                  + "\"\n  "
                  + at.source()
                  + "\n  "
                  + " ".repeat(column - 1)
                  + "^\n"
                  + problem.get());
        }
      }
    }
  }

  record Conversation(String name, int line, List<Step> steps) {}

  record Step(String text, int line, List<Located> expectations) {}

  record Located(Expectation expectation, Expectation.Position position) {}
}
