package dev.colloquy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.memory.jdbc.JdbcMemoryStore;
import dev.colloquy.memory.redis.RedisMemoryStore;
import dev.colloquy.memory.redis.RedisServer;
import dev.colloquy.test.ScriptedChatModel;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.sqlite.SQLiteDataSource;

/** colloquy.memory.store selects a persistent store; conversations outlive the context. */
class PersistentMemoryTest {

  private final ApplicationContextRunner runner =
      Runners.colloquy()
          .withBean(
              ChatModel.class, () -> ScriptedChatModel.builder().otherwise(r -> "noted").build());

  private static DataSource sqlite(Path file) {
    SQLiteDataSource dataSource = new SQLiteDataSource();
    dataSource.setUrl("jdbc:sqlite:" + file);
    return dataSource;
  }

  @Test
  void jdbcKeepsTheConversationInTheApplicationsDataSourceAcrossRestarts(@TempDir Path dir) {
    DataSource dataSource = sqlite(dir.resolve("app.db"));
    ApplicationContextRunner app =
        runner
            .withBean(DataSource.class, () -> dataSource)
            .withPropertyValues("colloquy.memory.store=jdbc");

    app.run(
        context -> {
          assertThat(context.getBean(MemoryStore.class)).isInstanceOf(JdbcMemoryStore.class);
          context.getBean("colloquyAgent", Agent.class).chat("ada", "My name is Ada.");
        });
    app.run(
        context ->
            assertThat(context.getBean(ChatMemory.class).messages("ada"))
                .containsExactly(Message.user("My name is Ada."), Message.assistant("noted")));
  }

  @Test
  void jdbcWithoutADataSourceStopsStartupSayingWhatToAdd() {
    runner
        .withPropertyValues("colloquy.memory.store=jdbc")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains("colloquy.memory.store=jdbc needs one DataSource bean, found none");
            });
  }

  @Test
  void jdbcWithoutTheModuleNamesTheMissingDependency() {
    runner
        .withClassLoader(new FilteredClassLoader(JdbcMemoryStore.class))
        .withPropertyValues("colloquy.memory.store=jdbc")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains("the dependency dev.colloquy:colloquy-memory-jdbc is missing");
            });
  }

  @Test
  void redisKeepsTheConversationAcrossRestarts() {
    try (RedisServer server = RedisServer.start()) {
      ApplicationContextRunner app =
          runner.withPropertyValues(
              "colloquy.memory.store=redis", "colloquy.memory.redis.uri=" + server.uri());

      app.run(
          context -> {
            assertThat(context.getBean(MemoryStore.class)).isInstanceOf(RedisMemoryStore.class);
            context.getBean("colloquyAgent", Agent.class).chat("bob", "I am Bob.");
          });
      app.run(
          context ->
              assertThat(context.getBean(ChatMemory.class).messages("bob"))
                  .extracting(Message::text)
                  .containsExactly("I am Bob.", "noted"));
    }
  }

  @Test
  void redisWithoutAUriStopsStartupSayingWhichProperty() {
    runner
        .withPropertyValues("colloquy.memory.store=redis")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains("colloquy.memory.store=redis needs colloquy.memory.redis.uri");
            });
  }

  @Test
  void byDefaultTheStoreIsInMemoryAndTheTokenBudgetAndRetriesComeFromProperties() {
    runner
        .withPropertyValues("colloquy.memory.tokens=500", "colloquy.memory.conflict-retries=0")
        .run(
            context -> {
              assertThat(context.getBean(MemoryStore.class)).isInstanceOf(InMemoryStore.class);
              ChatMemory memory = context.getBean(ChatMemory.class);
              assertThat(memory.maxTokens()).isEqualTo(500);
              Agent agent = context.getBean("colloquyAgent", Agent.class);
              for (int i = 0; i < 100; i++) {
                agent.chat("c", "a question long enough to count for something " + i);
              }
              assertThat(memory.messages("c")).hasSizeLessThan(200).hasSizeGreaterThan(2);
            });
  }

  @Test
  void aTokenBudgetBelowSixteenStopsStartupNamingTheProperty() {
    runner
        .withPropertyValues("colloquy.memory.tokens=5")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains("colloquy.memory.tokens must be at least 16, was 5");
            });
  }
}
