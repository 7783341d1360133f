package dev.colloquy.model.local;

import dev.colloquy.core.model.ChatModel;
import dev.colloquy.model.local.fixture.TinyModels;
import dev.colloquy.test.contract.ChatModelContract;
import org.junit.jupiter.api.AfterAll;

/** The shared ChatModel contract, against a tiny random GPT-2 checkpoint on the Java backend. */
class LocalGptModelContractTest extends ChatModelContract {

  private static LocalGptModel model;

  @Override
  protected ChatModel model() {
    synchronized (LocalGptModelContractTest.class) {
      if (model == null) {
        model = LocalGptModel.builder(TinyModels.tiny()).device(LocalDevice.cpu()).build();
      }
      return model;
    }
  }

  @AfterAll
  static void close() {
    if (model != null) {
      model.close();
    }
  }
}
