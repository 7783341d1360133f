package dev.colloquy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.model.local.LocalGptModel;
import dev.colloquy.model.remote.OpenAiChatModel;
import dev.colloquy.model.remote.RemoteUnavailableException;
import dev.colloquy.test.ScriptedChatModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

class BackendAutoConfigurationTest {

  private final ApplicationContextRunner runner = Runners.colloquy();
  private final AtomicInteger modelsStatus = new AtomicInteger(200);
  private final AtomicInteger completions = new AtomicInteger();
  private HttpServer server;

  @BeforeEach
  void startFakeServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/models",
        exchange -> {
          byte[] body = "{\"object\":\"list\",\"data\":[]}".getBytes();
          exchange.sendResponseHeaders(modelsStatus.get(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          completions.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          byte[] body = "{\"error\":{\"message\":\"overloaded\"}}".getBytes();
          exchange.sendResponseHeaders(503, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopFakeServer() {
    server.stop(0);
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @Test
  void theRemoteBackendIsTheAgentsModelWhenChosen() {
    runner
        .withPropertyValues(
            "colloquy.backend=remote",
            "colloquy.remote.model=tiny",
            "colloquy.remote.base-url=" + baseUrl())
        .run(
            context -> {
              assertThat(context)
                  .hasSingleBean(OpenAiChatModel.class)
                  .hasSingleBean(Agent.class)
                  .doesNotHaveBean(LocalGptModel.class);
              assertThat(context.getBean(OpenAiChatModel.class).modelName()).isEqualTo("tiny");
            });
  }

  @Test
  void theRemotePropertiesAndModelDescribeThemselvesWithoutTheKey() {
    runner
        .withPropertyValues(
            "colloquy.backend=remote",
            "colloquy.remote.model=tiny",
            "colloquy.remote.api-key=0f3a9c7d21b84e6fa5d09c1b7e2f4a68",
            "colloquy.remote.base-url=" + baseUrl())
        .run(
            context -> {
              assertThat(context.getBean(ColloquyProperties.class).getRemote().toString())
                  .doesNotContain("0f3a9c7d21b84e6fa5d09c1b7e2f4a68")
                  .contains("apiKey=***", "model=tiny");
              assertThat(context.getBean(OpenAiChatModel.class).toString())
                  .doesNotContain("0f3a9c7d21b84e6fa5d09c1b7e2f4a68");
            });
  }

  @Test
  void withResilienceOnThePolicyIsTheOnlyLayerThatRetriesTheRemoteBackend() {
    runner
        .withPropertyValues(
            "colloquy.backend=remote",
            "colloquy.remote.model=tiny",
            "colloquy.remote.base-url=" + baseUrl(),
            "colloquy.resilience.enabled=true",
            "colloquy.resilience.max-attempts=3",
            "colloquy.resilience.initial-backoff=1ms",
            "colloquy.resilience.max-backoff=2ms")
        .run(
            context -> {
              assertThatThrownBy(() -> context.getBean(Agent.class).chat("c", "hi"))
                  .isInstanceOf(RemoteUnavailableException.class);
              assertThat(completions.get()).as("requests for one chat").isEqualTo(3);
            });
  }

  @Test
  void closingTheContextClosesTheRemoteModelAndItsHealthIndicator() {
    AtomicReference<OpenAiChatModel> model = new AtomicReference<>();
    AtomicReference<HealthIndicator> health = new AtomicReference<>();
    runner
        .withPropertyValues(
            "colloquy.backend=remote",
            "colloquy.remote.model=tiny",
            "colloquy.remote.base-url=" + baseUrl())
        .run(
            context -> {
              model.set(context.getBean(OpenAiChatModel.class));
              health.set(context.getBean("colloquyRemoteHealthIndicator", HealthIndicator.class));
              assertThat(health.get().health().getStatus()).isEqualTo(Status.UP);
            });

    assertThatThrownBy(() -> model.get().chat(ChatRequest.of(Message.user("hi"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was closed");
    assertThat(health.get().health().getStatus()).isEqualTo(Status.DOWN);
  }

  @Test
  void noBackendIsConfiguredUnlessOneIsChosen() {
    runner
        .withPropertyValues("colloquy.remote.model=tiny")
        .run(
            context ->
                assertThat(context).doesNotHaveBean(ChatModel.class).doesNotHaveBean(Agent.class));
  }

  @Test
  void theRemoteBackendWithoutAModelNameStopsStartupSayingWhatToSet() {
    runner
        .withPropertyValues("colloquy.backend=remote")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains("colloquy.remote.model is required when colloquy.backend=remote");
            });
  }

  @Test
  void aMalformedBaseUrlStopsStartupNamingThePropertyAndTheValue() {
    runner
        .withPropertyValues(
            "colloquy.backend=remote",
            "colloquy.remote.model=tiny",
            "colloquy.remote.base-url=localhost:11434/v1")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains(
                      "colloquy.remote.base-url must be an http or https URL with a host, such as http://localhost:11434/v1, was 'localhost:11434/v1'");
            });
  }

  @Test
  void anUnknownBackendNameStopsStartupNamingTheProperty() {
    runner
        .withPropertyValues("colloquy.backend=cloud")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains("colloquy.backend")
                  .contains("cloud");
            });
  }

  @Test
  void theRemoteBackendWithoutItsModuleStopsStartupNamingTheDependency() {
    runner
        .withClassLoader(new FilteredClassLoader(OpenAiChatModel.class))
        .withPropertyValues("colloquy.backend=remote", "colloquy.remote.model=tiny")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains(
                      "colloquy.backend=remote needs dev.colloquy:colloquy-model-remote on the class path");
            });
  }

  @Test
  void aChatModelOfTheApplicationReplacesTheChosenBackend() {
    runner
        .withBean(ChatModel.class, () -> ScriptedChatModel.alwaysReplying("scripted"))
        .withPropertyValues("colloquy.backend=remote", "colloquy.remote.model=tiny")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(OpenAiChatModel.class);
              assertThat(context.getBean(Agent.class).chat("c", "hi")).isEqualTo("scripted");
            });
  }

  @Test
  void theRemoteHealthIndicatorIsUpWhenTheServerListsItsModelsAndDownOtherwise() {
    runner
        .withPropertyValues(
            "colloquy.backend=remote",
            "colloquy.remote.model=tiny",
            "colloquy.remote.base-url=" + baseUrl())
        .run(
            context -> {
              HealthIndicator health =
                  context.getBean("colloquyRemoteHealthIndicator", HealthIndicator.class);
              assertThat(health.health().getStatus()).isEqualTo(Status.UP);
              modelsStatus.set(500);
              assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.health().getDetails()).containsEntry("status", 500);
            });
  }

  @Test
  void theRemoteHealthIndicatorSaysTheConnectionWasRefusedAndWhereNotConnectExceptionNull()
      throws IOException {
    int refusing;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      refusing = socket.getLocalPort();
    }
    String downUrl = "http://127.0.0.1:" + refusing + "/v1";
    runner
        .withPropertyValues(
            "colloquy.backend=remote",
            "colloquy.remote.model=tiny",
            "colloquy.remote.base-url=" + downUrl,
            "colloquy.remote.api-key=sk-health-secret")
        .run(
            context -> {
              Health health =
                  context.getBean("colloquyRemoteHealthIndicator", HealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.getDetails())
                  .containsEntry("baseUrl", downUrl)
                  .containsEntry("error", "connection refused: GET " + downUrl + "/models");
              assertThat(health.getDetails().toString())
                  .doesNotContain("sk-health-secret")
                  .doesNotContain("null");
            });
  }

  @Test
  void noHealthIndicatorWithoutSpringBootHealthOnTheClassPath() {
    runner
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .withPropertyValues("colloquy.backend=remote", "colloquy.remote.model=tiny")
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(OpenAiChatModel.class)
                    .doesNotHaveBean("colloquyRemoteHealthIndicator"));
  }

  @Test
  void theLocalBackendWithoutAModelPathStopsStartupSayingWhatToSet() {
    runner
        .withPropertyValues("colloquy.backend=local")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains("colloquy.local.model-path is required when colloquy.backend=local")
                  .contains("tokenizer.json or vocab.json + merges.txt");
            });
  }

  @Test
  void theLocalBackendWithAMissingCheckpointStopsStartupNamingTheFolder() {
    runner
        .withPropertyValues(
            "colloquy.backend=local",
            "colloquy.local.model-path=target/no-such-model",
            "colloquy.local.device=cpu")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure())).contains("no-such-model");
            });
  }

  @Test
  void anUnknownLocalDeviceStopsStartupNamingThePropertyAndTheChoices() {
    runner
        .withPropertyValues("colloquy.local.device=tpu")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains("colloquy.local.device must be auto, cpu, gpu or gpu:N, was 'tpu'");
            });
  }

  @Test
  void theLocalBackendWithoutItsModuleStopsStartupNamingTheDependencyNotUnknownModelDefault() {
    runner
        .withClassLoader(new FilteredClassLoader(LocalGptModel.class))
        .withPropertyValues(
            "colloquy.backend=local", "colloquy.agents.location=classpath:agents-test/valid/")
        .run(
            context -> {
              assertThat(context).hasFailed();
              String messages = Runners.messages(context.getStartupFailure());
              assertThat(messages)
                  .contains(
                      "colloquy.backend=local needs dev.colloquy:colloquy-model-local on the class path")
                  .doesNotContain("unknown model");
              FailureAnalysis analysis =
                  new MissingBackendModuleFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .contains("colloquy.backend is 'local'")
                  .contains("dev.colloquy:colloquy-model-local is not on the class path");
              assertThat(analysis.getAction())
                  .contains("Add the dependency dev.colloquy:colloquy-model-local");
            });
  }

  @Test
  void theMissingBackendAnalyzerIsRegisteredWithSpringBoot() {
    // Boot's own analyzers want constructor arguments; only whether ours is listed and loads
    // matters here.
    assertThat(
            SpringFactoriesLoader.forDefaultResourceLocation()
                .load(
                    FailureAnalyzer.class,
                    null,
                    SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> {})))
        .hasAtLeastOneElementOfType(MissingBackendModuleFailureAnalyzer.class);
  }

  @Test
  void aChatModelOfTheApplicationNeedsNoBackendModule() {
    runner
        .withClassLoader(new FilteredClassLoader(LocalGptModel.class))
        .withBean(ChatModel.class, () -> ScriptedChatModel.alwaysReplying("scripted"))
        .withPropertyValues("colloquy.backend=local")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ChatModel.class));
  }
}
