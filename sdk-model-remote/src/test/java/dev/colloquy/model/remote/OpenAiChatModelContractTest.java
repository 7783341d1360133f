package dev.colloquy.model.remote;

import dev.colloquy.core.model.ChatModel;
import dev.colloquy.test.contract.ChatModelContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The remote backend passes the contract every backend passes, against a deterministic loopback
 * server.
 */
class OpenAiChatModelContractTest extends ChatModelContract {

  private static FakeOpenAiServer server;

  @BeforeAll
  static void startServer() {
    server = FakeOpenAiServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected ChatModel model() {
    return server.model(new RecordingSleeper()).build();
  }
}
