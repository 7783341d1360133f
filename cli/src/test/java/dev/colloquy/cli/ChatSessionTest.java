package dev.colloquy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.demo.ShopAgent;
import dev.colloquy.test.ScriptedChatModel;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;

/**
 * The chat loop survives a stopped or failed turn; Ctrl-C goes through the terminal's signal
 * handler.
 */
class ChatSessionTest {

  private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(transcript, true, StandardCharsets.UTF_8);

  /**
   * On its first call writes "partial" and then waits until it is cancelled; later calls answer
   * "fine".
   */
  static final class StallingModel implements ChatModel {
    final CountDownLatch writing = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public ModelCapabilities capabilities() {
      return new ModelCapabilities(4096, false, false, false, true);
    }

    @Override
    public ChatResponse generate(
        ChatRequest request, StreamListener listener, Cancellation cancellation) {
      if (calls.getAndIncrement() == 0) {
        listener.onText("partial");
        CountDownLatch cancelled = new CountDownLatch(1);
        cancellation.onCancel(cancelled::countDown);
        writing.countDown();
        try {
          if (!cancelled.await(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the turn was never cancelled");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
        throw new CancelledException("the call was cancelled by its caller");
      }
      listener.onText("fine");
      return new ChatResponse(
          Message.assistant("fine"), FinishReason.STOP, new TokenUsage(1, 1), "stalling");
    }
  }

  private String transcript() {
    return transcript.toString(StandardCharsets.UTF_8);
  }

  @Test
  void interruptStopsTheRunningReplyForgetsTheTurnAndTheChatGoesOn() throws Exception {
    StallingModel model = new StallingModel();
    ChatSession session = new ChatSession(Agent.builder().model(model).build(), out, false);
    assertThat(session.interrupt()).as("nothing to stop before a turn").isFalse();

    Thread chat =
        new Thread(
            () ->
                session.run(
                    new BufferedReader(
                        new StringReader("tell me a long story\nHello\n/history\n"))));
    chat.start();
    assertThat(model.writing.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(session.interrupt()).isTrue();
    chat.join(20_000);

    assertThat(chat.isAlive()).isFalse();
    assertThat(transcript())
        .contains(
            "assistant> partial\n(stopped: this question and the partial reply are forgotten)\n"
                + "you> Hello\nassistant> fine\nyou> /history\nuser: Hello\nassistant: fine\n");
    assertThat(transcript()).doesNotContain("user: tell me a long story");
  }

  @Test
  void ctrlCOnTheTerminalStopsTheReplyAndAtAnEmptyPromptLeaves() throws Exception {
    StallingModel model = new StallingModel();
    ChatSession session = new ChatSession(Agent.builder().model(model).build(), out, false);
    PipedOutputStream keys = new PipedOutputStream();
    PipedInputStream keyboard = new PipedInputStream(keys);
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    // JLine's line discipline turns Ctrl-C into Signal.INT, as the kernel's does for the system
    // terminal.
    try (Terminal terminal =
        new ExternalTerminal("test", "xterm", keyboard, screen, StandardCharsets.UTF_8)) {
      Thread chat = new Thread(() -> session.run(terminal));
      chat.start();
      type(keys, "tell me a long story\r");
      assertThat(model.writing.await(20, TimeUnit.SECONDS)).isTrue();
      type(keys, "\u0003"); // Ctrl-C while the reply is being written
      awaitPrompts(screen, 2);
      type(keys, "Hello\r");
      awaitPrompts(screen, 3);
      type(keys, "half a line");
      // JLine raises Ctrl-C as soon as its input pump sees it, maybe before the reader has taken
      // the keys typed before it; a person's Ctrl-C comes after the line is on the screen.
      awaitScreen(screen, "half a line");
      type(keys, "\u0003"); // Ctrl-C on a started line clears it
      awaitPrompts(screen, 4);
      type(keys, "/history\r");
      awaitPrompts(screen, 5);
      type(keys, "\u0003"); // Ctrl-C at an empty prompt leaves
      chat.join(20_000);
      assertThat(chat.isAlive()).as("the session left on Ctrl-C at an empty prompt").isFalse();
    }

    assertThat(transcript())
        .contains(
            "assistant> partial\n(stopped: this question and the partial reply are forgotten)\n"
                + "assistant> fine\nuser: Hello\nassistant: fine\n");
  }

  private static void type(PipedOutputStream keys, String text) throws IOException {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  /**
   * Waits until JLine has shown its prompt {@code count} times: it then reads keys, Ctrl-C
   * included.
   */
  private static void awaitPrompts(ByteArrayOutputStream screen, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (screen.toString(StandardCharsets.UTF_8).split("you> ", -1).length - 1 < count) {
      assertThat(System.nanoTime()).as("prompt %d never shown", count).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static void awaitScreen(ByteArrayOutputStream screen, String text)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!screen.toString(StandardCharsets.UTF_8).contains(text)) {
      assertThat(System.nanoTime()).as("%s never shown", text).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void historyOfAnEmptyConversationSaysItIsEmpty() {
    ChatSession session =
        new ChatSession(Agent.builder().model(new StallingModel()).build(), out, false);

    session.run(new BufferedReader(new StringReader("/history\n")));

    assertThat(transcript()).endsWith("you> /history\n(the conversation is empty)\n");
  }

  @Test
  void aLookupTheShopAgentAnswersInsteadOfRunningIsNeverShownAsACall() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyToolCall("orderStatus", "{\"orderId\":12345}")
            .replyToolCall("orderStatus", "{\"orderId\":48213}")
            .reply("Order 48213 has shipped.")
            .build();
    ChatSession session = new ChatSession(ShopAgent.create(model), out, false);

    session.run(new BufferedReader(new StringReader("what's 1234 times 5678\nwhere is 48213\n")));

    assertThat(transcript())
        .contains(
            "assistant> Which order do you mean? Please send me your five-digit order number.\n")
        .contains("assistant> [orderStatus {\"orderId\":48213}] Order 48213 has shipped.\n")
        .doesNotContain("12345");
  }
}
