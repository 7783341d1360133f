package dev.colloquy.examples.cli;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.StreamListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive loop of {@code chat} and {@code run}: reads lines (with JLine's editing and
 * history on a terminal, plain lines from a pipe), streams each reply, and handles
 * {@code /reset}, {@code /history} and {@code /exit}.
 */
final class ChatSession {

  private static final String HELP = "commands: /reset (forget the conversation), /history (show it), /exit";

  private final Agent agent;
  private final PrintStream out;
  private final boolean showTiming;
  private String conversation = "cli-1";
  private int conversations = 1;
  private boolean firstTokenShown;

  ChatSession(Agent agent, PrintStream out, boolean showTiming) {
    this.agent = agent;
    this.out = out;
    this.showTiming = showTiming;
  }

  /** Runs until /exit or the end of input. */
  void run(boolean terminal) {
    out.println(HELP);
    try (Input input = terminal ? new TerminalInput() : new PipeInput()) {
      while (true) {
        Optional<String> line = input.read("you> ");
        if (line.isEmpty()) {
          return;
        }
        String text = line.get().strip();
        if (text.isEmpty()) {
          continue;
        }
        if (!terminal) {
          out.println("you> " + text);
        }
        if (!handleCommand(text)) {
          return;
        }
      }
    }
  }

  /** Returns false when the session should end. */
  private boolean handleCommand(String text) {
    switch (text) {
      case "/exit", "/quit" -> {
        return false;
      }
      case "/reset" -> {
        agent.memory().clear(conversation);
        conversation = "cli-" + (++conversations);
        out.println("(conversation forgotten)");
      }
      case "/history" -> history();
      default -> {
        if (text.startsWith("/")) {
          out.println("unknown command " + text + "; " + HELP);
        } else {
          turn(text);
        }
      }
    }
    return true;
  }

  private void turn(String text) {
    out.print("assistant> ");
    out.flush();
    agent.stream(conversation, text, new StreamListener() {
      @Override
      public void onText(String delta) {
        firstToken();
        out.print(delta);
        out.flush();
      }

      @Override
      public void onToolCall(ToolCall call) {
        firstToken();
        out.print("[" + call.name() + " " + call.arguments() + "] ");
        out.flush();
      }
    });
    out.println();
  }

  private void firstToken() {
    if (showTiming && !firstTokenShown) {
      firstTokenShown = true;
      long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
      out.print("(first token " + sinceStart + " ms after the JVM started) ");
    }
  }

  private void history() {
    for (Message message : agent.memory().messages(conversation)) {
      String text = message instanceof AssistantMessage assistant && assistant.hasToolCalls()
          ? assistant.toolCalls().stream().map(c -> "[call " + c.name() + " " + c.arguments() + "]")
              .reduce((a, b) -> a + " " + b).orElse("") + " " + assistant.text()
          : message.text();
      out.println(message.role().name().toLowerCase(java.util.Locale.ROOT) + ": " + text.strip());
    }
  }

  /** Where lines come from. */
  private interface Input extends AutoCloseable {
    Optional<String> read(String prompt);

    @Override
    void close();
  }

  /** Lines from a pipe or file: no prompt, no editing. */
  private static final class PipeInput implements Input {
    private final BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    @Override
    public Optional<String> read(String prompt) {
      try {
        return Optional.ofNullable(reader.readLine());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
    }
  }

  /** JLine on a terminal: line editing and history; Ctrl-D ends, Ctrl-C clears the line. */
  private static final class TerminalInput implements Input {
    private final Terminal terminal;
    private final LineReader reader;

    TerminalInput() {
      try {
        terminal = TerminalBuilder.builder().system(true).build();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
      }
      reader = LineReaderBuilder.builder().terminal(terminal).build();
    }

    @Override
    public Optional<String> read(String prompt) {
      while (true) {
        try {
          return Optional.of(reader.readLine(prompt));
        } catch (UserInterruptException e) {
          // Ctrl-C: drop the line and ask again.
        } catch (EndOfFileException e) {
          return Optional.empty();
        }
      }
    }

    @Override
    public void close() {
      try {
        terminal.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
