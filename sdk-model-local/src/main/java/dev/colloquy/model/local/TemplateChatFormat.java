package dev.colloquy.model.local;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.model.local.internal.format.JinjaTemplate;
import dev.colloquy.model.local.internal.format.SpecialTokenGuard;
import dev.colloquy.model.local.internal.format.TemplateVariables;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A model's own chat template (the Jinja {@code chat_template} of its {@code tokenizer_config.json}
 * or GGUF file), rendered as Hugging Face transformers renders it: the variables {@code messages},
 * {@code tools} (absent tools are {@code none}), {@code add_generation_prompt} (true), {@code
 * bos_token} and {@code eos_token}; {@code strftime_now} reads the builder's clock.
 *
 * <p>The special tokens the template writes become {@link ChatFormat.Special} segments; all message
 * text stays {@link ChatFormat.Text}, so a user who types {@code <|im_start|>} gets that text,
 * never the token. Tool calls in the model's reply are read in the template's own syntax ({@link
 * ToolCallSyntax}).
 *
 * <pre>{@code
 * ChatFormat format = ChatFormat.template(chatTemplate)
 *     .bosToken("<|begin_of_text|>")
 *     .eosToken("<|eot_id|>")
 *     .specialTokens(Set.of("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class TemplateChatFormat implements ChatFormat {

  private final JinjaTemplate template;
  private final String bosToken;
  private final String eosToken;
  private final Set<String> specialTokens;
  private final ToolCallSyntax toolCallSyntax;

  private TemplateChatFormat(Builder builder) {
    this.template = new JinjaTemplate(builder.template, builder.clock);
    this.bosToken = builder.bosToken;
    this.eosToken = builder.eosToken;
    Set<String> specials = new LinkedHashSet<>(builder.specialTokens);
    for (String token : List.of(bosToken, eosToken)) {
      if (!token.isEmpty()) {
        specials.add(token);
      }
    }
    this.specialTokens = Set.copyOf(specials);
    this.toolCallSyntax =
        builder.toolCallSyntax == null ? detect(builder.template) : builder.toolCallSyntax;
  }

  /**
   * @throws dev.colloquy.core.NonRetryableException when the template raises an exception (e.g. on
   *     roles that do not alternate) or uses what the engine cannot render, naming the problem
   */
  @Override
  public List<Segment> render(List<Message> messages) {
    return render(messages, List.of());
  }

  /**
   * @throws dev.colloquy.core.NonRetryableException when the template raises an exception (e.g. on
   *     roles that do not alternate) or uses what the engine cannot render, naming the problem
   * @throws IllegalArgumentException when tools are offered but {@link #supportsTools()} is false
   */
  @Override
  public List<Segment> render(List<Message> messages, List<ToolSpecification> tools) {
    if (!tools.isEmpty() && !supportsTools()) {
      throw new IllegalArgumentException(
          "this chat template has no known tool-call syntax: set one with"
              + " ChatFormat.template(text).toolCallSyntax(...) to offer tools");
    }
    SpecialTokenGuard guard = new SpecialTokenGuard(specialTokens);
    Map<String, Object> variables = new HashMap<>();
    variables.put("messages", TemplateVariables.messages(messages, guard));
    variables.put("tools", tools.isEmpty() ? null : TemplateVariables.tools(tools, guard));
    variables.put("add_generation_prompt", true);
    variables.put("bos_token", bosToken);
    variables.put("eos_token", eosToken);
    List<Segment> segments = new ArrayList<>();
    for (SpecialTokenGuard.Piece piece : guard.split(template.render(variables))) {
      segments.add(piece.special() ? new Special(piece.text()) : new Text(piece.text()));
    }
    return List.copyOf(segments);
  }

  /** Returns the end-of-sequence token, when one is set. */
  @Override
  public List<String> stopSequences() {
    return eosToken.isEmpty() ? List.of() : List.of(eosToken);
  }

  @Override
  public boolean supportsTools() {
    return toolCallSyntax != ToolCallSyntax.NONE;
  }

  /** Returns how the model writes tool calls, as detected from the template or set. */
  public ToolCallSyntax toolCallSyntax() {
    return toolCallSyntax;
  }

  @Override
  public String toString() {
    return "template (tool calls: " + toolCallSyntax + ")";
  }

  /** The syntax the template teaches the model, judged from the markers it mentions. */
  static ToolCallSyntax detect(String template) {
    if (template.contains("<tool_call>")) {
      return ToolCallSyntax.HERMES;
    }
    if (template.contains("[TOOL_CALLS]")) {
      return ToolCallSyntax.MISTRAL;
    }
    if (template.contains("<|python_tag|>") || template.contains("ipython")) {
      return ToolCallSyntax.LLAMA_JSON;
    }
    return ToolCallSyntax.NONE;
  }

  /**
   * Builds a {@link TemplateChatFormat}. Each setting may be set once; a second call is rejected
   * naming the setting. {@link #build()} leaves the builder unchanged.
   */
  public static final class Builder {
    private final String template;
    private String bosToken;
    private String eosToken;
    private Set<String> specialTokens;
    private ToolCallSyntax toolCallSyntax;
    private Clock clock;

    Builder(String template) {
      Objects.requireNonNull(template, "template");
      if (template.isBlank()) {
        throw new IllegalArgumentException("the chat template must not be blank");
      }
      this.template = template;
    }

    /** Sets {@code bos_token} (default empty, as for Qwen); it is also a special token. */
    public Builder bosToken(String value) {
      once("bosToken", bosToken);
      bosToken = Objects.requireNonNull(value, "bosToken");
      return this;
    }

    /** Sets {@code eos_token} (default empty); it is also a special token and a stop sequence. */
    public Builder eosToken(String value) {
      once("eosToken", eosToken);
      eosToken = Objects.requireNonNull(value, "eosToken");
      return this;
    }

    /**
     * Sets the special-token strings of the tokenizer (default: only the BOS and EOS tokens); where
     * the template writes one, the prompt gets the token rather than its text.
     *
     * @throws IllegalArgumentException when one is empty
     */
    public Builder specialTokens(Collection<String> value) {
      once("specialTokens", specialTokens);
      for (String token : value) {
        if (token.isEmpty()) {
          throw new IllegalArgumentException("a special token must not be empty");
        }
      }
      specialTokens = Set.copyOf(value);
      return this;
    }

    /**
     * Sets how the model writes tool calls (default: detected from the template: {@code
     * <tool_call>} is {@link ToolCallSyntax#HERMES}, {@code [TOOL_CALLS]} {@link
     * ToolCallSyntax#MISTRAL}, {@code <|python_tag|>} or {@code ipython} {@link
     * ToolCallSyntax#LLAMA_JSON}, else {@link ToolCallSyntax#NONE}).
     */
    public Builder toolCallSyntax(ToolCallSyntax value) {
      once("toolCallSyntax", toolCallSyntax);
      toolCallSyntax = Objects.requireNonNull(value, "toolCallSyntax");
      return this;
    }

    /** Sets the clock {@code strftime_now} reads (default: the system clock, local time zone). */
    public Builder clock(Clock value) {
      once("clock", clock);
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Builds the format and renders a one-message conversation with it, so that a template the
     * engine cannot render fails here rather than at the first request.
     *
     * @throws dev.colloquy.core.NonRetryableException when the template cannot be rendered, naming
     *     the construct
     */
    public TemplateChatFormat build() {
      Builder copy = new Builder(template);
      copy.bosToken = bosToken == null ? "" : bosToken;
      copy.eosToken = eosToken == null ? "" : eosToken;
      copy.specialTokens = specialTokens == null ? Set.of() : specialTokens;
      copy.toolCallSyntax = toolCallSyntax;
      copy.clock = clock == null ? Clock.systemDefaultZone() : clock;
      TemplateChatFormat format = new TemplateChatFormat(copy);
      format.render(List.of(Message.user("Hello")));
      return format;
    }

    private static void once(String name, Object current) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
    }
  }
}
