package dev.colloquy.spring;

import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.memory.jdbc.JdbcMemoryStore;
import dev.colloquy.memory.redis.RedisMemoryStore;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The persistent conversation stores: {@code colloquy.memory.store=jdbc} keeps conversations in the
 * application's {@link DataSource} ({@code colloquy-memory-jdbc}), {@code redis} in Redis at {@code
 * colloquy.memory.redis.uri} ({@code colloquy-memory-redis}). Runs before {@link
 * ColloquyAutoConfiguration}, whose in-memory store then backs off; an application's own {@link
 * MemoryStore} bean wins over both. A store chosen without its module, or without a DataSource or
 * URI, stops startup saying what to add.
 */
@AutoConfiguration(
    before = ColloquyAutoConfiguration.class,
    afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(ColloquyProperties.class)
public class ColloquyMemoryStoreAutoConfiguration {

  private static final String STORE = "colloquy.memory.store";

  /** The JDBC store on the application's one DataSource. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JdbcMemoryStore.class)
  @ConditionalOnProperty(name = STORE, havingValue = "jdbc")
  static class Jdbc {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(MemoryStore.class)
    JdbcMemoryStore colloquyMemoryStore(
        ColloquyProperties properties, ObjectProvider<DataSource> dataSources) {
      DataSource dataSource = dataSources.getIfUnique();
      if (dataSource == null) {
        List<DataSource> found = dataSources.orderedStream().toList();
        throw new IllegalStateException(
            STORE
                + "=jdbc needs one DataSource bean, found "
                + (found.isEmpty()
                    ? "none: add spring-boot-starter-jdbc and spring.datasource.url, or define one"
                    : found.size() + ": mark the one for conversations @Primary"));
      }
      MemoryProperties memory = properties.getMemory();
      JdbcMemoryStore.Builder store =
          JdbcMemoryStore.builder()
              .dataSource(dataSource)
              .migrateOnStart(memory.getJdbc().isMigrateOnStart());
      if (memory.getExpireAfterIdle() != null) {
        store.expireAfterIdle(memory.getExpireAfterIdle());
      }
      return store.build();
    }
  }

  /** The Redis store at {@code colloquy.memory.redis.uri}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(RedisMemoryStore.class)
  @ConditionalOnProperty(name = STORE, havingValue = "redis")
  static class Redis {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(MemoryStore.class)
    RedisMemoryStore colloquyMemoryStore(ColloquyProperties properties) {
      MemoryProperties memory = properties.getMemory();
      String uri = memory.getRedis().getUri();
      if (uri == null || uri.isBlank()) {
        throw new IllegalStateException(
            STORE + "=redis needs colloquy.memory.redis.uri, e.g. redis://localhost:6379/0");
      }
      RedisMemoryStore.Builder store = RedisMemoryStore.builder().uri(uri);
      if (memory.getExpireAfterIdle() != null) {
        store.expireAfterIdle(memory.getExpireAfterIdle());
      }
      return store.build();
    }
  }

  /** {@code store=jdbc} without {@code colloquy-memory-jdbc}: say which dependency is missing. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("dev.colloquy.memory.jdbc.JdbcMemoryStore")
  @ConditionalOnProperty(name = STORE, havingValue = "jdbc")
  static class JdbcModuleMissing {
    @Bean
    MemoryStore colloquyMemoryStore() {
      throw new IllegalStateException(
          STORE + "=jdbc, but the dependency dev.colloquy:colloquy-memory-jdbc is missing");
    }
  }

  /** {@code store=redis} without {@code colloquy-memory-redis}: say which dependency is missing. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("dev.colloquy.memory.redis.RedisMemoryStore")
  @ConditionalOnProperty(name = STORE, havingValue = "redis")
  static class RedisModuleMissing {
    @Bean
    MemoryStore colloquyMemoryStore() {
      throw new IllegalStateException(
          STORE + "=redis, but the dependency dev.colloquy:colloquy-memory-redis is missing");
    }
  }
}
