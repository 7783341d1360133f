package dev.colloquy.model.remote;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import dev.colloquy.core.resilience.Sleeper;
import dev.colloquy.model.remote.internal.http.ChatCompletionsClient;
import dev.colloquy.model.remote.internal.http.ClientSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

// Design note. This file is the remote backend's public face: the model (a thin shell over
// internal/http/ChatCompletionsClient) and its builder, whose documented, validated setters make
// most of its length. Invariants: a built model never changes, except that close() releases its
// client for good; its withoutOwnRetries() form shares that client (and so its closing); and
// every secret the builder accepts (apiKey, azureApiKey, OPENAI_API_KEY, credential-named headers)
// lands in ClientSettings.secrets(), the one list that ServerText redacts server text by.

/**
 * A {@link ChatModel} for any server that speaks the OpenAI chat-completions protocol: OpenAI,
 * Azure OpenAI, vLLM, llama.cpp server, Ollama, LM Studio, TGI, DeepSeek and others.
 *
 * <pre>{@code
 * ChatModel model = OpenAiChatModel.builder()
 *     .baseUrl("http://localhost:8000/v1")
 *     .model("Qwen/Qwen2.5-7B-Instruct")
 *     .build();
 * }</pre>
 *
 * <p>Streaming calls read server-sent events; blocking calls ({@link #chat}) read one JSON body;
 * both go through the same parser. Failures are typed: {@link RemoteRejectedException} (not
 * retried), {@link RemoteUnavailableException} (retried with backoff, honouring {@code
 * Retry-After}), {@link RemoteProtocolException}, {@link RemoteStreamErrorException}, {@link
 * dev.colloquy.core.TruncatedResponseException} and {@link dev.colloquy.core.CancelledException}. A
 * call whose reply has started to stream is never retried. Cancelling a call closes its connection
 * at once. Wrapped by a {@code ResiliencePolicy}, the model leaves retries to the policy ({@link
 * #withoutOwnRetries()}).
 *
 * <p>Thread-safe; one instance serves many concurrent calls over one HttpClient, which {@link
 * #close()} releases. The API key appears in no {@code toString()}, log or exception message.
 */
public final class OpenAiChatModel implements ChatModel, AutoCloseable {

  private final ClientSettings settings;
  private final ChatCompletionsClient client;
  private final ModelCapabilities capabilities;
  private final String authDescription;
  private final Optional<TokenCounter> tokenCounter;

  OpenAiChatModel(ClientSettings settings, int contextWindow, String authDescription) {
    this(
        new ChatCompletionsClient(settings),
        new ModelCapabilities(contextWindow, true, true, true, true, true),
        authDescription);
  }

  private OpenAiChatModel(
      ChatCompletionsClient client, ModelCapabilities capabilities, String authDescription) {
    this.settings = client.settings();
    this.tokenCounter = OpenAiTokenCounters.forModel(settings.model());
    this.client = client;
    this.capabilities = capabilities;
    this.authDescription = authDescription;
  }

  /** Returns a builder; only {@link Builder#model} is required. */
  public static Builder builder() {
    return new Builder(System::getenv);
  }

  /**
   * Returns tool calling, JSON and JSON-schema output and streaming, with the configured context
   * window.
   */
  @Override
  public ModelCapabilities capabilities() {
    return capabilities;
  }

  /**
   * Sends the request to {@code {baseUrl}/chat/completions}, retrying per the builder's policy.
   *
   * @param request the request
   * @param listener receives text deltas as they arrive and tool calls once complete; {@link
   *     StreamListener#NONE} makes a non-streaming request
   * @param cancellation cancelling it closes the connection and ends the call with {@link
   *     dev.colloquy.core.CancelledException}
   * @return the complete response
   * @throws dev.colloquy.core.ColloquyException when the call fails; see the class comment
   */
  @Override
  public ChatResponse generate(
      ChatRequest request, StreamListener listener, Cancellation cancellation) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(cancellation, "cancellation");
    return client.generate(request, listener, cancellation);
  }

  /**
   * Returns this model making exactly one attempt per call, over the same connections, when it
   * retries by itself ({@code maxRetries} above 0); {@code ResiliencePolicy.decorate} uses it so
   * that the policy is the one layer that retries. Closing either model closes both.
   */
  @Override
  public Optional<ChatModel> withoutOwnRetries() {
    return settings.maxRetries() == 0
        ? Optional.empty()
        : Optional.of(new OpenAiChatModel(client.withoutRetries(), capabilities, authDescription));
  }

  /**
   * Returns the redactor of this model's configured secrets (the API key, credential header
   * values); empty when it has none.
   */
  @Override
  public Optional<SecretRedactor> secretRedactor() {
    return settings.secrets().isEmpty() ? Optional.empty() : Optional.of(settings.secrets());
  }

  /**
   * Releases the HTTP client, its selector thread and its pooled connections; idempotent. Later
   * calls, on this model and on its {@link #withoutOwnRetries()} form (which shares them), fail
   * with an {@link IllegalStateException}. On Java 21 and later it waits for calls in flight; on
   * Java 17, which cannot close an {@code HttpClient}, it lets go of it so that its thread ends
   * once it is collected. Whoever builds the model closes it (the Spring starter does, with its
   * context).
   */
  @Override
  public void close() {
    client.close();
  }

  /**
   * Returns OpenAI's own encoding (o200k_base or cl100k_base, through jtokkit) when the model name
   * is an OpenAI model's; empty for other names, whose tokenizer the client cannot know.
   */
  @Override
  public Optional<TokenCounter> tokenCounter() {
    return tokenCounter;
  }

  /** Returns the model name sent with each request. */
  public String modelName() {
    return settings.model();
  }

  /** Returns the validated settings, for tests in this package. */
  ClientSettings settings() {
    return settings;
  }

  /** Describes the endpoint, model and kind of authentication; never the key. */
  @Override
  public String toString() {
    return "OpenAiChatModel["
        + settings.where()
        + ", model="
        + settings.model()
        + ", auth="
        + authDescription
        + (settings.maxRetries() == 0 ? ", no retries" : "")
        + "]";
  }

  /**
   * Builds an {@link OpenAiChatModel}. Each setting is validated when set and may be set once;
   * setting one twice, or two that conflict, is rejected with a message naming them. {@link
   * #build()} leaves the builder unchanged. Not thread-safe.
   */
  public static final class Builder {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> RESTRICTED =
        Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** Header names whose values are credentials, redacted from everything a server sends back. */
    private static final Pattern CREDENTIAL_HEADER =
        Pattern.compile("(?i)(auth|key|token|secret|password|cookie|credential|signature|session)");

    private final UnaryOperator<String> environment;
    private URI baseUrl;
    private String apiKey;
    private String azureApiKey;
    private String apiVersion;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String model;
    private Duration connectTimeout;
    private Duration requestTimeout;
    private Duration streamIdleTimeout;
    private Integer maxRetries;
    private Duration maxRetryWait;
    private Sleeper sleeper;
    private Integer maxLineLength;
    private Integer maxStopSequences;
    private Integer contextWindow;
    private MaxTokensField maxTokensField;
    private Clock clock;

    Builder(UnaryOperator<String> environment) {
      this.environment = environment;
    }

    /**
     * Sets the API root, the part before {@code /chat/completions}, such as {@code
     * http://localhost:11434/v1} (default: {@code https://api.openai.com/v1}).
     *
     * @throws IllegalArgumentException unless it is an http or https URL with a host and no query
     */
    public Builder baseUrl(String value) {
      once("baseUrl", baseUrl);
      URI uri;
      try {
        uri = new URI(Objects.requireNonNull(value, "baseUrl").strip());
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("baseUrl is not a URL: " + e.getMessage(), e);
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "baseUrl must be an http or https URL with a host, was '" + value + "'");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "baseUrl must have no query or fragment (use apiVersion for Azure), was '"
                + value
                + "'");
      }
      baseUrl = uri;
      return this;
    }

    /**
     * Sets the key sent as {@code Authorization: Bearer <key>} (default: the {@code OPENAI_API_KEY}
     * environment variable when set, else no authentication, as local servers need none).
     */
    public Builder apiKey(String value) {
      once("apiKey", apiKey);
      rejectIfSet("apiKey", "azureApiKey", azureApiKey);
      apiKey = checkKey("apiKey", value);
      return this;
    }

    /** Sets the key sent in Azure OpenAI's {@code api-key} header instead of a bearer key. */
    public Builder azureApiKey(String value) {
      once("azureApiKey", azureApiKey);
      rejectIfSet("azureApiKey", "apiKey", apiKey);
      azureApiKey = checkKey("azureApiKey", value);
      return this;
    }

    /**
     * Sets the {@code api-version} query parameter Azure OpenAI requires, such as {@code
     * 2024-10-21}.
     */
    public Builder apiVersion(String value) {
      once("apiVersion", apiVersion);
      if (Objects.requireNonNull(value, "apiVersion").isBlank()) {
        throw new IllegalArgumentException("apiVersion must not be blank");
      }
      apiVersion = value.strip();
      return this;
    }

    /**
     * Adds a header sent with every request, such as {@code OpenAI-Organization} or a gateway's
     * routing header. Each name may be added once (ignoring case).
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "header name");
      Objects.requireNonNull(value, "header value");
      String lower = name.toLowerCase(Locale.ROOT);
      if (!TOKEN.matcher(name).matches()) {
        throw new IllegalArgumentException("'" + name + "' is not a valid header name");
      }
      if (RESTRICTED.contains(lower)) {
        throw new IllegalArgumentException(
            "header '" + name + "' is managed by the HTTP client and cannot be set");
      }
      if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
        throw new IllegalArgumentException(
            "the value of header '" + name + "' must not contain a line break");
      }
      for (String existing : headers.keySet()) {
        if (existing.equalsIgnoreCase(name)) {
          throw new IllegalStateException("header '" + name + "' was already added");
        }
      }
      headers.put(name, value);
      return this;
    }

    /** Sets the model name sent with each request, such as {@code gpt-4o-mini} (required). */
    public Builder model(String value) {
      once("model", model);
      if (Objects.requireNonNull(value, "model").isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      model = value;
      return this;
    }

    /** Sets the TCP and TLS connect timeout (default: 10 s). */
    public Builder connectTimeout(Duration value) {
      once("connectTimeout", connectTimeout);
      connectTimeout = positive("connectTimeout", value);
      return this;
    }

    /** Sets the time one attempt may take from sending to the end of the body (default: 10 min). */
    public Builder requestTimeout(Duration value) {
      once("requestTimeout", requestTimeout);
      requestTimeout = positive("requestTimeout", value);
      return this;
    }

    /**
     * Sets the longest a stream may stay silent, headers included, before it is abandoned (default:
     * 60 s).
     */
    public Builder streamIdleTimeout(Duration value) {
      once("streamIdleTimeout", streamIdleTimeout);
      streamIdleTimeout = positive("streamIdleTimeout", value);
      return this;
    }

    /**
     * Sets how many times a failed attempt is retried, 0 to 10; 0 means exactly one attempt
     * (default: 2).
     */
    public Builder maxRetries(int value) {
      once("maxRetries", maxRetries);
      if (value < 0 || value > 10) {
        throw new IllegalArgumentException("maxRetries must be between 0 and 10, was " + value);
      }
      maxRetries = value;
      return this;
    }

    /**
     * Sets the longest server-requested wait ({@code Retry-After}) that is honoured; a longer one
     * is not retried and the exception reports it (default: 60 s).
     */
    public Builder maxRetryWait(Duration value) {
      once("maxRetryWait", maxRetryWait);
      maxRetryWait = positive("maxRetryWait", value);
      return this;
    }

    /**
     * Sets what waits between attempts; tests pass a recorder (default: a cancellable wall-clock
     * wait).
     */
    public Builder sleeper(Sleeper value) {
      once("sleeper", sleeper);
      sleeper = Objects.requireNonNull(value, "sleeper");
      return this;
    }

    /**
     * Sets the longest event-stream line, and event, accepted, in bytes, at least 1024 (default: 1
     * MiB).
     */
    public Builder maxLineLength(int value) {
      once("maxLineLength", maxLineLength);
      if (value < 1024) {
        throw new IllegalArgumentException(
            "maxLineLength must be at least 1024 bytes, was " + value);
      }
      maxLineLength = value;
      return this;
    }

    /**
     * Sets the most stop sequences a request may carry, 1 to 16 (default: 4, OpenAI's limit; vLLM
     * and llama.cpp accept more). A request with more fails with a {@link
     * dev.colloquy.core.NonRetryableException} before anything is sent.
     */
    public Builder maxStopSequences(int value) {
      once("maxStopSequences", maxStopSequences);
      if (value < 1 || value > 16) {
        throw new IllegalArgumentException(
            "maxStopSequences must be between 1 and 16, was " + value);
      }
      maxStopSequences = value;
      return this;
    }

    /** Sets the context window reported by {@link #capabilities()}, in tokens (default: 8192). */
    public Builder contextWindow(int value) {
      once("contextWindow", contextWindow);
      if (value < 1) {
        throw new IllegalArgumentException("contextWindow must be at least 1, was " + value);
      }
      contextWindow = value;
      return this;
    }

    /**
     * Sets the request-body field that carries the output-token limit, {@code max_tokens} or {@code
     * max_completion_tokens}; OpenAI's reasoning models (o1, o3…) need the latter (default: {@link
     * MaxTokensField#MAX_TOKENS}). Nothing is sent when a request sets no limit.
     */
    public Builder maxTokensField(MaxTokensField value) {
      once("maxTokensField", maxTokensField);
      maxTokensField = Objects.requireNonNull(value, "maxTokensField");
      return this;
    }

    /**
     * Sets the clock that {@code Retry-After} dates are measured against (default: the system
     * clock).
     */
    public Builder clock(Clock value) {
      once("clock", clock);
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Returns the model.
     *
     * @throws IllegalStateException when no model name was set
     */
    public OpenAiChatModel build() {
      if (model == null) {
        throw new IllegalStateException(
            "model is required: call model(\"...\") with the name the server knows");
      }
      Map<String, String> allHeaders = new LinkedHashMap<>(headers);
      List<String> secrets = new ArrayList<>();
      String auth = "none";
      if (azureApiKey != null) {
        rejectHeader("api-key", "azureApiKey");
        allHeaders.put("api-key", azureApiKey);
        secrets.add(azureApiKey);
        auth = "azure api-key";
      } else {
        String key = apiKey;
        if (key == null && headers.keySet().stream().noneMatch("authorization"::equalsIgnoreCase)) {
          String fromEnvironment = environment.apply("OPENAI_API_KEY");
          key =
              fromEnvironment == null || fromEnvironment.isBlank()
                  ? null
                  : checkKey("OPENAI_API_KEY", fromEnvironment);
        }
        if (key != null) {
          rejectHeader("Authorization", "apiKey");
          allHeaders.put("Authorization", "Bearer " + key);
          secrets.add(key);
          auth = apiKey != null ? "bearer key" : "bearer key from OPENAI_API_KEY";
        }
      }
      allHeaders.putIfAbsent("User-Agent", "colloquy-model-remote");
      allHeaders.forEach((name, value) -> secrets.addAll(credentials(name, value)));
      URI root = baseUrl == null ? URI.create("https://api.openai.com/v1") : baseUrl;
      String path = root.toString().replaceAll("/+$", "") + "/chat/completions";
      if (apiVersion != null) {
        path += "?api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8);
      }
      ClientSettings settings =
          new ClientSettings(
              URI.create(path),
              model,
              or(maxTokensField, MaxTokensField.MAX_TOKENS),
              allHeaders,
              SecretRedactor.of(secrets),
              or(connectTimeout, Duration.ofSeconds(10)),
              or(requestTimeout, Duration.ofMinutes(10)),
              or(streamIdleTimeout, Duration.ofSeconds(60)),
              or(maxRetries, 2),
              or(maxRetryWait, Duration.ofSeconds(60)),
              Optional.ofNullable(sleeper),
              or(maxLineLength, 1024 * 1024),
              or(maxStopSequences, 4),
              or(clock, Clock.systemUTC()),
              () -> ThreadLocalRandom.current().nextDouble());
      return new OpenAiChatModel(settings, or(contextWindow, 8192), auth);
    }

    /**
     * Returns the secret values a header carries: the whole value of a header named like a
     * credential, and the token after an authorization scheme such as {@code Bearer}.
     */
    static List<String> credentials(String name, String value) {
      if (!CREDENTIAL_HEADER.matcher(name).find() || value.isBlank()) {
        return List.of();
      }
      String strippedValue = value.strip();
      int space = strippedValue.indexOf(' ');
      String token = space < 0 ? "" : strippedValue.substring(space + 1).strip();
      return token.isEmpty() ? List.of(strippedValue) : List.of(strippedValue, token);
    }

    private void rejectHeader(String name, String setting) {
      for (String existing : headers.keySet()) {
        if (existing.equalsIgnoreCase(name)) {
          throw new IllegalStateException(
              "header '" + existing + "' conflicts with " + setting + "; set only one");
        }
      }
    }

    private static <T> T or(T value, T fallback) {
      return value != null ? value : fallback;
    }

    private static String checkKey(String setting, String value) {
      Objects.requireNonNull(value, setting);
      if (value.isBlank() || value.chars().anyMatch(c -> c <= ' ' || c == 127)) {
        // The key itself is never echoed, not even when it is malformed.
        throw new IllegalArgumentException(
            setting + " must be non-blank and contain no spaces or control characters");
      }
      return value;
    }

    private static Duration positive(String setting, Duration value) {
      Objects.requireNonNull(value, setting);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(setting + " must be positive, was " + value);
      }
      return value;
    }

    private static void once(String setting, Object current) {
      if (current != null) {
        throw new IllegalStateException(
            setting
                + " was already set to "
                + (setting.toLowerCase(Locale.ROOT).contains("key") ? "a key" : current));
      }
    }

    private static void rejectIfSet(String setting, String other, Object otherValue) {
      if (otherValue != null) {
        throw new IllegalStateException(
            setting + " conflicts with " + other + ", which is already set; set only one");
      }
    }
  }
}
