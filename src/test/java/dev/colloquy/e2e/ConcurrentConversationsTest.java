package dev.colloquy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.message.Message;
import dev.colloquy.test.ScriptedChatModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrentConversationsTest {

  @Test
  void twoHundredConversationsOnThirtyTwoThreadsKeepExactHistories() throws Exception {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .otherwise(
                request ->
                    "re: "
                        + request.lastUserText()
                        + " (seen "
                        + (request.messages().size() - 1)
                        + ")")
            .build();
    Agent agent = Agent.builder().model(model).memory(ChatMemory.window(100)).build();
    int conversations = 200;
    int turns = 10;
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<?>> futures = new ArrayList<>();
      // Each task runs one whole conversation's turns in order; tasks interleave freely.
      for (int c = 0; c < conversations; c++) {
        String id = "conversation-" + c;
        futures.add(
            pool.submit(
                () -> {
                  for (int t = 0; t < turns; t++) {
                    agent.chat(id, id + " turn " + t);
                  }
                }));
      }
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (int c = 0; c < conversations; c++) {
      String id = "conversation-" + c;
      List<String> expected = new ArrayList<>();
      for (int t = 0; t < turns; t++) {
        expected.add(id + " turn " + t);
        expected.add("re: " + id + " turn " + t + " (seen " + (2 * t) + ")");
      }
      assertThat(agent.memory().messages(id))
          .extracting(Message::text)
          .containsExactlyElementsOf(expected);
    }
    assertThat(model.callCount()).isEqualTo(conversations * turns);
  }

  @Test
  void twoThreadsRacingOnOneConversationProduceWholeTurns() throws Exception {
    CountDownLatch bothStarted = new CountDownLatch(2);
    ScriptedChatModel model =
        ScriptedChatModel.builder().otherwise(request -> "re: " + request.lastUserText()).build();
    Agent agent = Agent.builder().model(model).memory(ChatMemory.window(1000)).build();
    int turnsPerThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (String who : List.of("left", "right")) {
        futures.add(
            pool.submit(
                () -> {
                  bothStarted.countDown();
                  bothStarted.await();
                  for (int t = 0; t < turnsPerThread; t++) {
                    agent.chat("shared", who + " " + t);
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<Message> history = agent.memory().messages("shared");
    assertThat(history).hasSize(4 * turnsPerThread);
    for (int i = 0; i < history.size(); i += 2) {
      // Every user message is followed by its own answer: no turn was split by the other thread.
      assertThat(history.get(i).role()).isEqualTo(Message.Role.USER);
      assertThat(history.get(i + 1).text()).isEqualTo("re: " + history.get(i).text());
    }
    // Each thread's turns appear in the order it sent them.
    for (String who : List.of("left", "right")) {
      List<String> mine =
          history.stream().map(Message::text).filter(t -> t.startsWith(who + " ")).toList();
      List<String> expected = new ArrayList<>();
      for (int t = 0; t < turnsPerThread; t++) {
        expected.add(who + " " + t);
      }
      assertThat(mine).containsExactlyElementsOf(expected);
    }
  }
}
