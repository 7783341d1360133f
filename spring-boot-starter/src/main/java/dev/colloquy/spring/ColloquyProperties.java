package dev.colloquy.spring;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code colloquy.*} properties. Every setter validates its value, so a bad property stops the
 * application at startup with the property's name, the value and the reason (Spring Boot's "Failed
 * to bind properties under ..." report).
 *
 * <p>Not thread-safe; Spring binds it once at startup.
 */
@ConfigurationProperties("colloquy")
public class ColloquyProperties {

  /** Which backend the auto-configured model is; none when unset. */
  public enum Backend {
    /**
     * The OpenAI-compatible HTTP backend ({@code colloquy-model-remote}), set up by {@code
     * colloquy.remote.*}.
     */
    REMOTE,
    /** The local GPT runtime ({@code colloquy-model-local}), set up by {@code colloquy.local.*}. */
    LOCAL
  }

  /**
   * The backend of the auto-configured ChatModel: remote or local. Unset (the default), no model is
   * configured: declare a ChatModel bean of your own.
   */
  private Backend backend;

  private final Remote remote = new Remote();
  private final Local local = new Local();
  @NestedConfigurationProperty private final MemoryProperties memory = new MemoryProperties();

  @NestedConfigurationProperty
  private final ResilienceProperties resilience = new ResilienceProperties();

  @NestedConfigurationProperty private final CacheProperties cache = new CacheProperties();

  @NestedConfigurationProperty private final TracingProperties tracing = new TracingProperties();
  @NestedConfigurationProperty private final AgentsProperties agents = new AgentsProperties();
  @NestedConfigurationProperty private final McpProperties mcp = new McpProperties();

  /** Whether tools are collected from beans with @Tool methods and given to the agents. */
  private boolean toolsEnabled = true;

  /** Whether Micrometer meters are recorded when a MeterRegistry bean exists. */
  private boolean metricsEnabled = true;

  /** Returns the chosen backend, or null when none is. */
  public Backend getBackend() {
    return backend;
  }

  /** Sets the backend of the auto-configured model. */
  public void setBackend(Backend backend) {
    this.backend = backend;
  }

  /** Returns the remote backend's settings. */
  public Remote getRemote() {
    return remote;
  }

  /** Returns the local backend's settings. */
  public Local getLocal() {
    return local;
  }

  /** Returns the memory settings. */
  public MemoryProperties getMemory() {
    return memory;
  }

  /** Returns the resilience settings. */
  public ResilienceProperties getResilience() {
    return resilience;
  }

  /** Returns the tracing settings. */
  public TracingProperties getTracing() {
    return tracing;
  }

  /** Returns the response cache settings. */
  public CacheProperties getCache() {
    return cache;
  }

  /** Returns the agent settings. */
  public AgentsProperties getAgents() {
    return agents;
  }

  /** Returns the MCP servers whose tools join the agents' (with colloquy-mcp). */
  public McpProperties getMcp() {
    return mcp;
  }

  /** Returns whether tools are collected from beans. */
  public boolean isToolsEnabled() {
    return toolsEnabled;
  }

  /** Sets whether tools are collected from beans. */
  public void setToolsEnabled(boolean toolsEnabled) {
    this.toolsEnabled = toolsEnabled;
  }

  /** Returns whether Micrometer meters are recorded. */
  public boolean isMetricsEnabled() {
    return metricsEnabled;
  }

  /** Sets whether Micrometer meters are recorded. */
  public void setMetricsEnabled(boolean metricsEnabled) {
    this.metricsEnabled = metricsEnabled;
  }

  /** {@code colloquy.remote.*}: an OpenAI-compatible chat-completions server. */
  public static class Remote {
    /** The API root, the part before /chat/completions, an http or https URL. */
    private String baseUrl = "https://api.openai.com/v1";

    /** The bearer key; unset, the OPENAI_API_KEY environment variable, else no authentication. */
    private String apiKey;

    /**
     * The model name the server knows, such as gpt-4o-mini; required when colloquy.backend=remote.
     */
    private String model;

    /** The TCP and TLS connect timeout. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** The time one attempt may take, from sending to the end of the body. */
    private Duration requestTimeout = Duration.ofMinutes(10);

    /** The longest a stream may stay silent before it is abandoned. */
    private Duration streamIdleTimeout = Duration.ofSeconds(60);

    /**
     * How many times a failed attempt is retried by the client, 0 to 10; not used when
     * colloquy.resilience.enabled=true, as the resilience policy then owns retries.
     */
    private int maxRetries = 2;

    /** How long the health check's GET {base-url}/models may take. */
    private Duration healthTimeout = Duration.ofSeconds(5);

    /** Returns the API root. */
    public String getBaseUrl() {
      return baseUrl;
    }

    /** Sets the API root; it must be an http or https URL with a host and no query. */
    public void setBaseUrl(String baseUrl) {
      URI uri;
      try {
        uri = new URI(Objects.requireNonNull(baseUrl, "baseUrl").strip());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "colloquy.remote.base-url is not a URL: " + e.getMessage(), e);
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "colloquy.remote.base-url must be an http or https URL with a host, such as "
                + "http://localhost:11434/v1, was '"
                + baseUrl
                + "'");
      }
      this.baseUrl = baseUrl.strip();
    }

    /** Returns the API key, or null when unset. */
    public String getApiKey() {
      return apiKey;
    }

    /** Sets the API key. */
    public void setApiKey(String apiKey) {
      this.apiKey = apiKey;
    }

    /** Returns the model name, or null when unset. */
    public String getModel() {
      return model;
    }

    /** Sets the model name; not blank. */
    public void setModel(String model) {
      if (model == null || model.isBlank()) {
        throw new IllegalArgumentException("colloquy.remote.model must not be blank");
      }
      this.model = model.strip();
    }

    /** Returns the connect timeout. */
    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    /** Sets the connect timeout; positive. */
    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive("colloquy.remote.connect-timeout", connectTimeout);
    }

    /** Returns the request timeout. */
    public Duration getRequestTimeout() {
      return requestTimeout;
    }

    /** Sets the request timeout; positive. */
    public void setRequestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive("colloquy.remote.request-timeout", requestTimeout);
    }

    /** Returns the stream idle timeout. */
    public Duration getStreamIdleTimeout() {
      return streamIdleTimeout;
    }

    /** Sets the stream idle timeout; positive. */
    public void setStreamIdleTimeout(Duration streamIdleTimeout) {
      this.streamIdleTimeout = positive("colloquy.remote.stream-idle-timeout", streamIdleTimeout);
    }

    /** Returns the client's retries. */
    public int getMaxRetries() {
      return maxRetries;
    }

    /** Sets the client's retries, 0 to 10. */
    public void setMaxRetries(int maxRetries) {
      this.maxRetries = between("colloquy.remote.max-retries", maxRetries, 0, 10);
    }

    /** Returns the health check's timeout. */
    public Duration getHealthTimeout() {
      return healthTimeout;
    }

    /** Sets the health check's timeout; positive. */
    public void setHealthTimeout(Duration healthTimeout) {
      this.healthTimeout = positive("colloquy.remote.health-timeout", healthTimeout);
    }

    /** Describes the settings; the API key shows only as set or not, never its value. */
    @Override
    public String toString() {
      return "Remote[baseUrl="
          + baseUrl
          + ", model="
          + model
          + ", apiKey="
          + (apiKey == null ? "unset" : "***")
          + ", connectTimeout="
          + connectTimeout
          + ", requestTimeout="
          + requestTimeout
          + ", streamIdleTimeout="
          + streamIdleTimeout
          + ", maxRetries="
          + maxRetries
          + ", healthTimeout="
          + healthTimeout
          + "]";
    }
  }

  /**
   * {@code colloquy.local.*}: a local checkpoint (Hugging Face folder or GGUF file) run in the JVM.
   */
  public static class Local {
    private static final Pattern DEVICE = Pattern.compile("(?i)auto|cpu|gpu(:\\d{1,3})?");

    /**
     * The checkpoint: a Hugging Face folder (config.json, safetensors, tokenizer.json) of GPT-2,
     * Llama, Mistral, Qwen2, Qwen3 or Phi-3, or a GGUF file (or a folder whose only model file is
     * one); required when colloquy.backend=local.
     */
    private Path modelPath;

    /** Where the model runs: auto (a GPU when one is seen, else the CPU), cpu, gpu or gpu:N. */
    private String device = "auto";

    /** The CPU kernel threads, 1 to 256; unset, the number of available processors. */
    private Integer threads;

    /**
     * The reply length when a request sets none; unset, the checkpoint's generation config, else
     * 256.
     */
    private Integer maxTokens;

    /**
     * The requests that generate together, their steps batched, 1 to 1024; unset, the model's
     * default (4).
     */
    private Integer batchSlots;

    /**
     * The requests that may wait for a batch slot, at least 0; unset, the model's default (64). A
     * request beyond that is rejected at once.
     */
    private Integer maxQueuedRequests;

    /** Returns the checkpoint folder or GGUF file, or null when unset. */
    public Path getModelPath() {
      return modelPath;
    }

    /** Sets the checkpoint folder or GGUF file. */
    public void setModelPath(Path modelPath) {
      this.modelPath = modelPath;
    }

    /** Returns the device. */
    public String getDevice() {
      return device;
    }

    /** Sets the device: auto, cpu, gpu or gpu:N. */
    public void setDevice(String device) {
      if (device == null || !DEVICE.matcher(device.strip()).matches()) {
        throw new IllegalArgumentException(
            "colloquy.local.device must be auto, cpu, gpu or gpu:N, was '" + device + "'");
      }
      this.device = device.strip();
    }

    /** Returns the threads, or null for the number of available processors. */
    public Integer getThreads() {
      return threads;
    }

    /** Sets the threads, 1 to 256. */
    public void setThreads(Integer threads) {
      this.threads = between("colloquy.local.threads", threads, 1, 256);
    }

    /** Returns the default reply length, or null for the checkpoint's. */
    public Integer getMaxTokens() {
      return maxTokens;
    }

    /** Sets the default reply length; at least 1. */
    public void setMaxTokens(Integer maxTokens) {
      this.maxTokens = between("colloquy.local.max-tokens", maxTokens, 1, Integer.MAX_VALUE);
    }

    /** Returns the batch slots, or null for the model's default. */
    public Integer getBatchSlots() {
      return batchSlots;
    }

    /** Sets the batch slots, 1 to 1024. */
    public void setBatchSlots(Integer batchSlots) {
      this.batchSlots = between("colloquy.local.batch-slots", batchSlots, 1, 1024);
    }

    /** Returns the most waiting requests, or null for the model's default. */
    public Integer getMaxQueuedRequests() {
      return maxQueuedRequests;
    }

    /** Sets the most waiting requests; at least 0. */
    public void setMaxQueuedRequests(Integer maxQueuedRequests) {
      this.maxQueuedRequests =
          between("colloquy.local.max-queued-requests", maxQueuedRequests, 0, Integer.MAX_VALUE);
    }
  }

  static Duration positive(String property, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(property + " must be a positive duration, was " + value);
    }
    return value;
  }

  static int between(String property, Integer value, int min, int max) {
    if (value == null || value < min || value > max) {
      throw new IllegalArgumentException(
          property
              + (max == Integer.MAX_VALUE
                  ? " must be at least " + min + ", was " + value
                  : " must be between " + min + " and " + max + ", was " + value));
    }
    return value;
  }

  static long atLeast(String property, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(property + " must be at least " + min + ", was " + value);
    }
    return value;
  }
}
