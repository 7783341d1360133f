package dev.colloquy.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ChatMemoryTest {

  @Test
  void keepsTheLastMessagesOfEachConversation() {
    ChatMemory memory = ChatMemory.window(4);
    for (int i = 1; i <= 3; i++) {
      memory.commit("a", List.of(Message.user("q" + i), Message.assistant("a" + i)));
    }
    memory.commit("b", List.of(Message.user("other")));

    assertThat(memory.messages("a"))
        .extracting(Message::text)
        .containsExactly("q2", "a2", "q3", "a3");
    assertThat(memory.messages("b")).extracting(Message::text).containsExactly("other");
    assertThat(memory.messages("unknown")).isEmpty();
  }

  @Test
  void keepsSystemMessagesWhenTheWindowSlides() {
    ChatMemory memory = ChatMemory.window(3);
    memory.commit(
        "a", List.of(Message.system("rules"), Message.user("q1"), Message.assistant("a1")));
    memory.commit("a", List.of(Message.user("q2"), Message.assistant("a2")));

    assertThat(memory.messages("a")).extracting(Message::text).containsExactly("rules", "q2", "a2");
  }

  @Test
  void neverKeepsAToolResultWithoutItsCall() {
    ToolCall call = new ToolCall("c1", "lookup", "{}");
    ChatMemory memory = ChatMemory.window(3);
    memory.commit(
        "a",
        List.of(
            Message.user("q1"),
            AssistantMessage.ofToolCalls(List.of(call)),
            ToolResultMessage.of(call, "r1"),
            Message.assistant("a1")));
    // A window of 3 would cut between the call and its result; the cut moves past the result.
    memory.commit("a", List.of(Message.user("q2")));

    assertThat(memory.messages("a")).extracting(Message::text).containsExactly("a1", "q2");
  }

  @Test
  void anInterruptedWaitForABusyConversationIsACancellationAndKeepsTheInterrupt() throws Exception {
    ChatMemory memory = ChatMemory.window(10);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        new Thread(
            () ->
                memory.withLock(
                    "c1",
                    () -> {
                      held.countDown();
                      try {
                        return release.await(10, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                      }
                    }));
    holder.start();
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    try {
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> memory.withLock("c1", Cancellation.create(), () -> "ran"))
          .isInstanceOf(CancelledException.class)
          .hasMessage(
              "interrupted while waiting for conversation 'c1', which another turn is using");
      assertThat(Thread.interrupted()).isTrue();
      assertThat(memory.withLock("c2", Cancellation.create(), () -> "ran")).isEqualTo("ran");
    } finally {
      release.countDown();
      holder.join();
    }
  }

  @Test
  void clearForgetsAConversation() {
    ChatMemory memory = ChatMemory.window(4);
    memory.commit("a", List.of(Message.user("q1")));

    memory.clear("a");

    assertThat(memory.messages("a")).isEmpty();
  }

  @Test
  void rejectsBlankIdsAndTinyWindows() {
    ChatMemory memory = ChatMemory.window(4);

    assertThatThrownBy(() -> memory.messages(" ")).hasMessage("conversationId must not be blank");
    assertThatThrownBy(() -> memory.messages(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("conversationId");
    assertThatThrownBy(() -> ChatMemory.window(1))
        .hasMessage("maxMessages must be at least 2 (a question and its answer), was 1");
  }

  @Test
  void inMemoryStoreForgetsIdleConversations() {
    AtomicLong nanos = new AtomicLong();
    InMemoryStore store =
        InMemoryStore.builder()
            .expireAfterIdle(Duration.ofMinutes(10))
            .nanoTime(nanos::get)
            .build();
    store.save(update("a", Message.user("hi")));

    nanos.addAndGet(Duration.ofMinutes(9).toNanos());
    assertThat(store.load("a").messages()).hasSize(1);
    nanos.addAndGet(Duration.ofMinutes(11).toNanos());

    assertThat(store.load("a").exists()).isFalse();
  }

  @Test
  void inMemoryStoreIsBoundedInConversations() {
    InMemoryStore store = InMemoryStore.builder().maximumConversations(2).build();
    for (int i = 0; i < 10; i++) {
      store.save(update("c" + i, Message.user("hi")));
    }

    assertThat(store.size()).isLessThanOrEqualTo(2);
  }

  @Test
  void inMemoryStoreBuilderRejectsRepeatsAndBadValues() {
    InMemoryStore.Builder builder = InMemoryStore.builder().maximumConversations(5);

    assertThatThrownBy(() -> builder.maximumConversations(6))
        .hasMessage("maximumConversations was already set to 5");
    assertThatThrownBy(() -> InMemoryStore.builder().expireAfterIdle(Duration.ZERO))
        .hasMessage("expireAfterIdle must be positive, was PT0S");
  }

  private static ConversationUpdate update(String id, Message message) {
    return new ConversationUpdate(id, 0, "default", List.of(message), List.of());
  }

  /** A real store where another writer saves right after each of the first reads. */
  private static final class RacedStore implements MemoryStore {
    final InMemoryStore store = InMemoryStore.create();
    int racesLeft;

    RacedStore(int races) {
      racesLeft = races;
    }

    @Override
    public StoredConversation load(String id) {
      StoredConversation read = store.load(id);
      if (racesLeft-- > 0) {
        List<Message> other = new java.util.ArrayList<>(read.messages());
        other.add(Message.user("other " + racesLeft));
        other.add(Message.assistant("answer " + racesLeft));
        store.save(new ConversationUpdate(id, read.version(), "default", other, read.turns()));
      }
      return read;
    }

    @Override
    public long save(ConversationUpdate update) {
      return store.save(update);
    }

    @Override
    public boolean delete(String id) {
      return store.delete(id);
    }

    @Override
    public List<ConversationInfo> list(String tenant) {
      return store.list(tenant);
    }

    @Override
    public int deleteTenant(String tenant) {
      return store.deleteTenant(tenant);
    }

    @Override
    public int deleteIdleSince(java.time.Instant cutoff) {
      return store.deleteIdleSince(cutoff);
    }
  }

  @Test
  void onAConflictTheTurnIsAppendedAfterTheOneThatWon() {
    RacedStore store = new RacedStore(2);
    ChatMemory memory = ChatMemory.builder().store(store).conflictRetries(2).build();

    memory.commit("a", List.of(Message.user("mine"), Message.assistant("my answer")));

    assertThat(memory.messages("a"))
        .extracting(Message::text)
        .containsExactly("other 1", "answer 1", "other 0", "answer 0", "mine", "my answer");
  }

  @Test
  void withNoRetriesLeftAConflictFailsAndWritesNothingOfTheTurn() {
    RacedStore store = new RacedStore(2);
    ChatMemory memory = ChatMemory.builder().store(store).conflictRetries(1).build();

    assertThatThrownBy(() -> memory.commit("a", List.of(Message.user("mine"))))
        .isInstanceOf(MemoryConflictException.class)
        .hasMessageContaining("conversation 'a' was changed by another writer");

    assertThat(memory.messages("a")).extracting(Message::text).doesNotContain("mine");
  }

  @Test
  void turnRecordsAreKeptForTheTurnsInTheWindow() {
    ChatMemory memory = ChatMemory.window(4);
    for (int i = 0; i < 6; i++) {
      memory.commit(
          "a",
          List.of(Message.user("q" + i), Message.assistant("a" + i)),
          new TurnRecord(
              "t", "m" + i, new dev.colloquy.core.model.TokenUsage(i, i), java.time.Instant.EPOCH));
    }

    List<TurnRecord> turns = memory.store().load("a").turns();
    assertThat(turns).hasSizeBetween(2, 4);
    assertThat(turns).extracting(TurnRecord::modelId).endsWith("m4", "m5");
  }
}
