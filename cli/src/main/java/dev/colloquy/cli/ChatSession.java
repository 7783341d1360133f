package dev.colloquy.cli;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.ColloquyException;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.agent.Turn;
import dev.colloquy.core.agent.TurnListener;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.tool.ToolExecution;
import dev.colloquy.model.local.ContextOverflowException;
import dev.colloquy.model.remote.RemoteUnavailableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive loop of {@code chat} and {@code run}: reads lines (with JLine's editing and
 * history on a terminal, plain lines from a pipe), streams each reply, and handles {@code /reset},
 * {@code /history} and {@code /exit}.
 *
 * <p>A failed turn does not end the session: it prints one line and the prompt comes back, with the
 * conversation as it was (a turn is all or nothing). On a terminal, Ctrl-C while a reply is being
 * written cancels that turn ({@link #interrupt()}); Ctrl-C at an empty prompt leaves.
 */
final class ChatSession {

  private static final String HELP =
      "commands: /reset (forget the conversation), /history (show it), /exit; "
          + "Ctrl-C stops a reply";

  private final Agent agent;
  private final PrintStream out;
  private final boolean showTiming;
  private volatile Cancellation running;

  /** The one conversation a session has; a memory file keeps it for the next session. */
  static final String CONVERSATION = "cli";

  private boolean firstTokenShown;

  ChatSession(Agent agent, PrintStream out, boolean showTiming) {
    this.agent = agent;
    this.out = out;
    this.showTiming = showTiming;
  }

  /**
   * Runs until /exit or the end of input: on the system terminal when there is one, else from
   * standard input.
   */
  void run(boolean terminal) {
    if (!terminal) {
      run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
      return;
    }
    Terminal system;
    try {
      system = TerminalBuilder.builder().system(true).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
    }
    try (system) {
      run(system);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the terminal: " + e.getMessage(), e);
    }
  }

  /**
   * Runs on a terminal: line editing and history; Ctrl-C stops a reply, or leaves at an empty
   * prompt.
   */
  void run(Terminal terminal) {
    // JLine swaps in its own handler while it reads a line and puts this one back afterwards.
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> interrupt());
    try {
      loop(new TerminalInput(terminal), false);
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
    }
  }

  /**
   * Runs on lines from a pipe or file, echoing each after the prompt so that a transcript reads
   * well.
   */
  void run(BufferedReader lines) {
    loop(
        prompt -> {
          try {
            return Optional.ofNullable(lines.readLine());
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
          }
        },
        true);
  }

  /**
   * Stops the reply being written, if any; the prompt comes back and the turn is forgotten. Called
   * by the terminal's Ctrl-C handler, on another thread.
   *
   * @return whether a turn was running
   */
  boolean interrupt() {
    Cancellation turn = running;
    if (turn == null) {
      return false;
    }
    turn.cancel();
    return true;
  }

  private void loop(Input input, boolean echo) {
    out.println(HELP);
    while (true) {
      Optional<String> line = input.read("you> ");
      if (line.isEmpty()) {
        return;
      }
      String text = line.get().strip();
      if (text.isEmpty()) {
        continue;
      }
      if (echo) {
        out.println("you> " + text);
      }
      if (!handleCommand(text)) {
        return;
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
        agent.memory().clear(CONVERSATION);
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
    Cancellation cancellation = Cancellation.create();
    running = cancellation;
    boolean[] streamed = {false};
    try {
      Reply reply =
          agent.run(
              Turn.of(CONVERSATION, text)
                  .withCancellation(cancellation)
                  .withListener(
                      new TurnListener() {
                        @Override
                        public void onText(String delta) {
                          streamed[0] = true;
                          firstToken();
                          out.print(delta);
                          out.flush();
                        }

                        // Shown when the agent handles the call, not when the model asks: a call
                        // the agent's tool call check answers instead of running is never shown.
                        @Override
                        public void onToolExecution(ToolExecution execution) {
                          ToolCall call = execution.call();
                          streamed[0] = true;
                          firstToken();
                          out.print("[" + call.name() + " " + call.arguments() + "] ");
                          out.flush();
                        }
                      }));
      // A guard's refusal (a message too long for the model, say) is the reply without a stream.
      if (!streamed[0]) {
        out.print(reply.text());
      }
      out.println();
    } catch (ColloquyException e) {
      out.println();
      out.println(
          "("
              + (cancellation.isCancelled() && e instanceof CancelledException
                  ? "stopped: this question and the partial reply are forgotten"
                  : failure(e))
              + ")");
    } finally {
      running = null;
    }
  }

  /**
   * Says in one line, for the person chatting, why a turn failed; the conversation is unchanged.
   */
  private String failure(ColloquyException e) {
    if (e instanceof ContextOverflowException) {
      return "that message is too long for this model, which reads at most "
          + agent.model().capabilities().contextWindow()
          + " tokens at a time: ask something shorter";
    }
    if (e instanceof RemoteUnavailableException) {
      return "no reply, the server is not answering: "
          + firstLine(e.getMessage())
          + ". Ask again when it is back.";
    }
    return "no reply: " + firstLine(e.getMessage());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown failure";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private void firstToken() {
    if (showTiming && !firstTokenShown) {
      firstTokenShown = true;
      long sinceStart =
          System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
      out.print("(first token " + sinceStart + " ms after the JVM started) ");
    }
  }

  private void history() {
    List<Message> messages = agent.memory().messages(CONVERSATION);
    if (messages.isEmpty()) {
      out.println("(the conversation is empty)");
      return;
    }
    for (Message message : messages) {
      String text =
          message instanceof AssistantMessage assistant && assistant.hasToolCalls()
              ? assistant.toolCalls().stream()
                      .map(c -> "[call " + c.name() + " " + c.arguments() + "]")
                      .reduce((a, b) -> a + " " + b)
                      .orElse("")
                  + " "
                  + assistant.text()
              : message.text();
      out.println(message.role().name().toLowerCase(java.util.Locale.ROOT) + ": " + text.strip());
    }
  }

  /** Where lines come from; empty at the end of input. */
  @FunctionalInterface
  private interface Input {
    Optional<String> read(String prompt);
  }

  /** JLine on a terminal: Ctrl-D ends; Ctrl-C clears a started line, and on an empty one ends. */
  private static final class TerminalInput implements Input {
    private final LineReader reader;

    TerminalInput(Terminal terminal) {
      reader = LineReaderBuilder.builder().terminal(terminal).build();
    }

    @Override
    public Optional<String> read(String prompt) {
      while (true) {
        try {
          return Optional.of(reader.readLine(prompt));
        } catch (UserInterruptException e) {
          if (e.getPartialLine() == null || e.getPartialLine().isEmpty()) {
            return Optional.empty();
          }
        } catch (EndOfFileException e) {
          return Optional.empty();
        }
      }
    }
  }
}
