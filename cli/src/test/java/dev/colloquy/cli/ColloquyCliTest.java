package dev.colloquy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.demo.ShopAgent;
import dev.colloquy.trainer.RandomCheckpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process with scripted standard input. */
class ColloquyCliTest {

  @TempDir Path directory;

  /** The exit status and what the command printed. */
  record Result(int status, String out, String err) {}

  static synchronized Result colloquy(String stdin, String... args) {
    InputStream in = System.in;
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      int status = Colloquy.run(args);
      return new Result(
          status,
          outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setIn(in);
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void chatRunsTheShopAgentOnTheEmbeddedModelFromScriptedInput() {
    Result result =
        colloquy(
            "Where is my order 58120?\n/history\n/reset\n/history\nHello\n/exit\nnot read\n",
            "chat");

    assertThat(result.status()).isZero();
    assertThat(result.out()).contains("loading the embedded demo model").contains("done in");
    assertThat(result.out()).contains("[orderStatus {\"orderId\":");
    assertThat(result.out())
        .contains("user: Where is my order 58120?")
        .contains("tool: {\"orderId\":");
    assertThat(result.out())
        .contains("(conversation forgotten)")
        .contains("Hello! How can I help you today?");
    assertThat(result.out()).doesNotContain("not read");
  }

  @Test
  void chatWithAMemoryFileGoesOnWhereTheLastChatStopped(@TempDir Path dir) {
    Path file = dir.resolve("chat.db");

    Result first = colloquy("Where is my order 58120?\n", "chat", "--memory", file.toString());
    Result second = colloquy("/history\n", "chat", "--memory", file.toString());
    Result third = colloquy("/reset\n", "chat", "--memory", file.toString());
    Result fourth = colloquy("/history\n", "chat", "--memory", file.toString());

    assertThat(first.status()).isZero();
    assertThat(first.out()).doesNotContain("going on with the conversation");
    assertThat(second.out())
        .contains("going on with the conversation in " + file + " (4 messages")
        .contains("user: Where is my order 58120?")
        .contains("tool: {\"orderId\":58120");
    assertThat(third.out()).contains("(conversation forgotten)");
    assertThat(fourth.out())
        .doesNotContain("going on with the conversation")
        .contains("(the conversation is empty)");
  }

  @Test
  void aMemoryFileThatIsNoDatabaseIsOneClearLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "these are my notes, not a database\n".repeat(100));

    Result result = colloquy("Hello\n", "chat", "--memory", file.toString());

    assertThat(result.status()).isNotZero();
    assertThat(result.err()).contains(file.toString()).doesNotContain("\tat ");
    assertThat(Files.readString(file)).startsWith("these are my notes");
  }

  @Test
  void chatEndsAtTheEndOfInputAndSpeaksChinese() {
    Result result = colloquy("你们几点营业？\n", "chat");

    assertThat(result.status()).isZero();
    assertThat(result.out()).contains("我们周一至周六9:00到18:00营业。");
  }

  @Test
  void modelInfoDescribesTheEmbeddedModel() {
    Result result = colloquy("", "model", "info");

    assertThat(result.status()).isZero();
    assertThat(result.out())
        .contains("shape: gpt2, 4 layers, 4 heads, width 128, context 256")
        .contains("model.safetensors")
        .contains("tool calling true");
  }

  @Test
  void modelRandomWritesACheckpointThatModelInfoReads() {
    Path out = directory.resolve("random");
    assertThat(
            colloquy(
                    "",
                    "model",
                    "random",
                    "--out",
                    out.toString(),
                    "--layers",
                    "1",
                    "--width",
                    "32")
                .status())
        .isZero();

    Result info = colloquy("", "model", "info", out.toString());
    assertThat(info.status()).isZero();
    assertThat(info.out())
        .contains("shape: gpt2, 1 layers, 4 heads, width 32, context 128, vocabulary 50257")
        .contains("tool calling false");
  }

  @Test
  void benchPrintsTimeToFirstTokenAndDecodeSpeed() {
    Result result = colloquy("", "bench", "--rounds", "1");

    assertThat(result.status()).isZero();
    assertThat(result.out())
        .containsPattern("time to first token: \\d+\\.\\d ms")
        .containsPattern("decode: \\d+ tokens/s");
  }

  @Test
  void checkReportsAValidAndAnInvalidFolder() throws Exception {
    Path good = Files.createDirectories(directory.resolve("good"));
    Files.writeString(
        good.resolve("shop.colloquy"),
        "agent shop {\n  model \"shop-model\"\n  system \"Be brief.\"\n}\n");
    Path bad = Files.createDirectories(directory.resolve("bad"));
    Files.writeString(bad.resolve("shop.colloquy"), "agent shop {\n  modle \"shop-model\"\n}\n");

    assertThat(colloquy("", "check", good.toString()).status()).isZero();
    Result invalid = colloquy("", "check", bad.toString());
    assertThat(invalid.status()).isEqualTo(1);
    assertThat(invalid.err()).contains("shop.colloquy:2");
  }

  @Test
  void checkTakesTheDocumentedNameOptionsAndChecksAgainstThem() throws Exception {
    Path folder = Files.createDirectories(directory.resolve("agents"));
    Files.writeString(
        folder.resolve("shop.colloquy"),
        "agent shop {\n  model \"shop-model\"\n  tools orderStatus\n}\n");

    Result valid =
        colloquy(
            "",
            "check",
            folder.toString(),
            "--models",
            "shop-model",
            "--tools",
            "orderStatus,refund");
    assertThat(valid.status()).isZero();
    assertThat(valid.err()).isEmpty();
    assertThat(valid.out()).isEqualTo("checked 1 file: no errors\n");

    Result unbound =
        colloquy("", "check", folder.toString(), "--models=other", "--guards", "short");
    assertThat(unbound.status()).isEqualTo(1);
    assertThat(unbound.err())
        .contains("unknown model `shop-model`")
        .contains("unknown tool `orderStatus`");
  }

  @Test
  void checkHelpListsEveryNameOption() {
    Result help = colloquy("", "check", "--help");

    assertThat(help.status()).isZero();
    assertThat(help.out())
        .contains("--models=NAME")
        .contains("--tools=NAME")
        .contains("--functions=NAME")
        .contains("--predicates=NAME")
        .contains("--guards=NAME");
  }

  @Test
  void checkOfAFolderWithoutDefinitionFilesSaysThereWasNothingToCheck() throws Exception {
    Path empty = Files.createDirectories(directory.resolve("empty"));

    Result result = colloquy("", "check", empty.toString());

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.out()).doesNotContain("no errors");
    assertThat(result.err())
        .contains("no .colloquy files in " + empty)
        .contains("nothing to check");
  }

  @Test
  void checkOfAMissingFolderSaysSo() {
    Result result = colloquy("", "check", directory.resolve("missing").toString());

    assertThat(result.status()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo("check: no such folder: " + directory.resolve("missing") + "\n");
  }

  @Test
  void runChatsWithTheAgentOfADefinitionFile() throws Exception {
    Path file = directory.resolve("shop.colloquy");
    Files.writeString(
        file,
        "agent shop {\n  model \"shop-model\"\n  system \"You are the assistant of the Acme shop.\"\n"
            + "  tools orderStatus\n}\n");

    Result result = colloquy("Track order 31337 please\n", "run", file.toString());

    assertThat(result.status()).isZero();
    assertThat(result.out()).contains("running agent shop").contains("[orderStatus {\"orderId\":");
  }

  @Test
  void runReportsEveryErrorOfTheFileWithItsSourceLineBeforeLoadingAnyModel() throws Exception {
    Path file = directory.resolve("shop.colloquy");
    Files.writeString(file, "agent shop {\n  model \"gpt-4o\"\n  tools orderStatu\n}\n");

    Result result = colloquy("Hello\n", "run", file.toString());

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.out()).doesNotContain("loading");
    assertThat(result.err())
        .contains(file + ":2:9: error: unknown model `gpt-4o`")
        .contains("   2 |   model \"gpt-4o\"")
        .contains("     |         ^^^^^^^^\n")
        .contains(file + ":3:9: error: unknown tool `orderStatu`")
        .contains("did you mean `orderStatus`?")
        .contains("2 errors")
        .contains(
            "hint: the chosen model is bound as shop-model, default; to run the file's gpt-4o on it: "
                + "--bind shop-model,default,gpt-4o");
  }

  @Test
  void runOfAMissingFileSaysNoSuchFileOnce() {
    Path missing = directory.resolve("missing.colloquy");

    Result result = colloquy("", "run", missing.toString());

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.err())
        .startsWith("colloquy run: cannot read " + missing + ": no such file\n");
    assertThat(result.err().split(java.util.regex.Pattern.quote(missing.toString()), -1))
        .hasSize(2);
  }

  /**
   * A plain GPT-2 checkpoint with random weights: its chat format (a transcript) has no tool calls.
   */
  private Path plainGpt2(int positions) {
    Path checkpoint = directory.resolve("gpt2-" + positions);
    new RandomCheckpoint(1, 4, 32, positions, 7).writeTo(checkpoint);
    return checkpoint;
  }

  @Test
  void theShopAgentOnAPlainGpt2CheckpointSaysOnceThatItChatsWithoutToolsAndAnswers() {
    Result result =
        colloquy(
            "Where is my order 58120?\n/history\n",
            "chat",
            "--agent",
            "shop",
            "--model-dir",
            plainGpt2(256).toString());

    assertThat(result.err()).isEmpty();
    assertThat(result.status()).isZero();
    String notice = "this model's chat format has no tool calls: chatting without tools\n";
    assertThat(result.out().split(java.util.regex.Pattern.quote(notice), -1)).hasSize(2);
    // A random model's reply runs to the token limit; the demo agent's memory keeps only what fits
    // half the 256-token context, so this turn is not kept: the reply is what shows it answered.
    assertThat(result.out()).containsPattern("assistant> \\S+").doesNotContain("[orderStatus");
  }

  @Test
  void chatOnAModelDirectoryRunsAPlainAssistantUnlessTheShopAgentIsAskedFor() {
    Result result = colloquy("Hello\n/history\n", "chat", "--model-dir", plainGpt2(256).toString());

    assertThat(result.err()).isEmpty();
    assertThat(result.status()).isZero();
    assertThat(result.out()).contains("user: Hello").doesNotContain(ChatCommand.NO_TOOLS);
  }

  @Test
  void runWarnsAtTheStartWhenTheModelCannotCallTheAgentsTools() throws Exception {
    Path file = directory.resolve("shop.colloquy");
    Files.writeString(file, "agent shop {\n  model \"shop-model\"\n  tools orderStatus\n}\n");

    Result result = colloquy("", "run", file.toString(), "--model-dir", plainGpt2(256).toString());

    assertThat(result.status()).isZero();
    assertThat(result.out())
        .contains(
            "this model's chat format has no tool calls, but agent shop offers [orderStatus]");
  }

  @Test
  void aQuestionTooLongForTheContextWindowSaysSoInOneLineAndTheChatGoesOn() {
    String tooLong = "where is my order ".repeat(120).strip() + "?";

    Result result = colloquy(tooLong + "\nHello\n/history\n", "chat");

    assertThat(result.status()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out())
        .contains(
            "assistant> "
                + ShopAgent.TOO_LONG
                + "\nyou> Hello\nassistant> Hello! How can I help you today?")
        .contains("user: Hello")
        .doesNotContain("user: where is my order")
        .doesNotContain("DROP_OLDEST_TURNS");
  }

  @Test
  void aServerThatWentDownIsOneLineAndTheChatGoesOn() throws Exception {
    try (OneReplyServer server = new OneReplyServer("Your order ships today.")) {
      Result result =
          colloquy(
              "Where is my order?\nAnd the invoice?\n/history\n",
              "chat",
              "--remote",
              server.baseUrl(),
              "--model",
              "tiny");

      assertThat(result.status()).isZero();
      assertThat(result.err()).isEmpty();
      assertThat(result.out())
          .contains("assistant> Your order ships today.\n")
          .containsPattern(
              "you> And the invoice\\?\nassistant> \n\\(no reply, the server is not answering: POST "
                  + "http://127.0.0.1:\\d+/v1/chat/completions: the connection was refused; [^\n]*\\. "
                  + "Ask again when it is back\\.\\)\nyou> /history\n")
          .contains("user: Where is my order?\nassistant: Your order ships today.\n")
          .doesNotContain("user: And the invoice?");
    }
  }

  /**
   * An OpenAI-compatible server on loopback that answers one chat completion and goes down before
   * the answer is out: its listening socket is closed first, so the next request is refused.
   */
  static final class OneReplyServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final Thread thread;

    OneReplyServer(String reply) throws IOException {
      thread =
          new Thread(
              () -> {
                try (Socket connection = socket.accept()) {
                  readRequest(connection.getInputStream());
                  socket.close();
                  byte[] body =
                      ("{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"tiny\",\"choices\":[{\"index\":0,"
                              + "\"message\":{\"role\":\"assistant\",\"content\":\""
                              + reply
                              + "\"},\"finish_reason\":\"stop\"}],"
                              + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":5,\"total_tokens\":10}}")
                          .getBytes(StandardCharsets.UTF_8);
                  OutputStream out = connection.getOutputStream();
                  out.write(
                      ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                              + body.length
                              + "\r\nConnection: close\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  out.write(body);
                  out.flush();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              "one-reply-server");
      thread.setDaemon(true);
      thread.start();
    }

    String baseUrl() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    /** Reads the head and, by its Content-Length, the body, so that closing sends no reset. */
    private static void readRequest(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the request ended in its head");
        }
        head.append((char) b);
      }
      java.util.regex.Matcher length =
          java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
      in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
    }

    @Override
    public void close() throws IOException {
      socket.close();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void anErrorIsOneClearLineAndVerboseAddsTheStackTrace() {
    Result plain = colloquy("", "chat", "--model-dir", directory.resolve("missing").toString());
    assertThat(plain.status()).isEqualTo(1);
    assertThat(plain.err()).contains("colloquy chat: ").contains("missing").doesNotContain("\tat ");

    Result verbose =
        colloquy("", "chat", "--verbose", "--model-dir", directory.resolve("missing").toString());
    assertThat(verbose.err()).contains("\tat ");
  }

  @Test
  void remoteNeedsAModelName() {
    Result result = colloquy("", "chat", "--remote", "http://localhost:1/v1");

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.err()).contains("--remote and --model go together");
  }
}
