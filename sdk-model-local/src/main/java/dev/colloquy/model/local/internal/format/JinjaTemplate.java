package dev.colloquy.model.local.internal.format;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat template rendered the way Hugging Face transformers renders it with Python jinja2:
 * trim_blocks and lstrip_blocks, loop controls, {@code tojson} as {@code json.dumps} with
 * ensure_ascii false, {@code raise_exception} and {@code strftime_now}. The engine is Jinjava, set
 * up with the LegacyOverrides that make it follow Jinja2 rather than HubSpot's older dialect
 * (whitespace control on expressions, Python-style output of values, natural operator precedence).
 * Immutable and thread-safe: each render gets its own interpreter.
 */
public final class JinjaTemplate {

  private static final String CLOCK_KEY = "__colloquy_clock__";
  private static final String RAISED_KEY = "__colloquy_raised__";
  private static final Jinjava ENGINE = engine();

  private final String source;
  private final Clock clock;

  /**
   * @param source the template text
   * @param clock the time {@code strftime_now} formats
   */
  public JinjaTemplate(String source, Clock clock) {
    this.source = JinjaDialect.rewrite(source);
    this.clock = clock;
  }

  /**
   * Renders the template.
   *
   * @param variables the template's variables (maps, lists, strings, numbers, booleans, null)
   * @return the rendered text
   * @throws ChatTemplateException when the template raises an exception or uses what the engine
   *     cannot render
   */
  public String render(Map<String, Object> variables) {
    Map<String, Object> context = new HashMap<>(variables);
    context.put(CLOCK_KEY, clock);
    List<String> raised = new ArrayList<>();
    context.put(RAISED_KEY, raised);
    // Globals in Jinja2, so "strftime_now is defined" holds; Jinjava's functions are not variables.
    context.put("strftime_now", "strftime_now");
    context.put("raise_exception", "raise_exception");
    RenderResult result;
    try {
      result = ENGINE.renderForResult(source, context);
    } catch (InterpretException e) {
      throw failure(raised, e.getMessage(), e);
    }
    List<String> problems = new ArrayList<>();
    for (TemplateError error : result.getErrors()) {
      // A missing attribute is undefined in Jinja2 ("x.content is defined" on a string): no error.
      if (error.getItem() == TemplateError.ErrorItem.PROPERTY) {
        continue;
      }
      if (error.getSeverity() == TemplateError.ErrorType.FATAL
          || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR
          || error.getReason() == TemplateError.ErrorReason.UNKNOWN
          || error.getReason() == TemplateError.ErrorReason.EXCEPTION
          || error.getReason() == TemplateError.ErrorReason.INVALID_INPUT) {
        problems.add(describe(error));
      }
    }
    if (!problems.isEmpty()) {
      throw failure(raised, String.join("; ", problems), null);
    }
    return result.getOutput();
  }

  private static String describe(TemplateError error) {
    String where = error.getLineno() > 0 ? " (template line " + error.getLineno() + ")" : "";
    return error.getMessage() + where;
  }

  private static ChatTemplateException failure(
      List<String> raised, String problem, Throwable cause) {
    if (!raised.isEmpty()) {
      return new ChatTemplateException(
          "the chat template refused the conversation: " + raised.get(0), cause);
    }
    return new ChatTemplateException(
        "the chat template cannot be rendered by Colloquy's Jinja engine (Jinjava): "
            + problem
            + ". Supply a ChatFormat of your own instead (LocalGptModel.builder(dir).chatFormat(...)),"
            + " or a simplified template (ChatFormat.template(text))",
        cause);
  }

  private static Jinjava engine() {
    JinjavaConfig config =
        JinjavaConfig.newBuilder()
            .withTrimBlocks(true)
            .withLstripBlocks(true)
            .withFailOnUnknownTokens(false)
            // A template comes with a downloaded model file: bound what a hostile one can build.
            .withMaxOutputSize(64L << 20)
            .withMaxStringLength(64L << 20)
            .withLegacyOverrides(
                LegacyOverrides.newBuilder()
                    .withParseWhitespaceControlStrictly(true)
                    .withUseTrimmingForNotesAndExpressions(true)
                    .withUsePyishObjectMapper(true)
                    .withUseNaturalOperatorPrecedence(true)
                    .withKeepNullableLoopValues(true)
                    .withAllowAdjacentTextNodes(true)
                    .build())
            .build();
    Jinjava jinjava = new Jinjava(config);
    jinjava.getGlobalContext().registerFilter(new ToJson());
    PythonStrings.functions().forEach(jinjava.getGlobalContext()::registerFunction);
    jinjava.getGlobalContext().registerExpTest(PythonStrings.iterableTest());
    jinjava
        .getGlobalContext()
        .registerFunction(
            new ELFunctionDefinition(
                "", "raise_exception", RaiseException.class, "raise", Object.class));
    jinjava
        .getGlobalContext()
        .registerFunction(
            new ELFunctionDefinition(
                "", "strftime_now", JinjaTemplate.class, "strftimeNow", String.class));
    return jinjava;
  }

  /** {@code strftime_now(format)}: the injected clock's local time, formatted as Python does. */
  public static String strftimeNow(String format) {
    Object clock = JinjavaInterpreter.getCurrent().getContext().get(CLOCK_KEY);
    return Strftime.format(LocalDateTime.now((Clock) clock), format);
  }

  /** {@code raise_exception(message)}: the template refuses the conversation. */
  public static final class RaiseException {
    private RaiseException() {}

    /** Records the template's message for the error and stops the render. */
    @SuppressWarnings("unchecked")
    public static Object raise(Object message) {
      Object raised = JinjavaInterpreter.getCurrent().getContext().get(RAISED_KEY);
      ((List<String>) raised).add(String.valueOf(message));
      throw new InterpretException("raise_exception: " + message);
    }
  }

  /**
   * {@code tojson} as transformers defines it: {@code json.dumps(x, ensure_ascii=False, indent=…,
   * separators=…, sort_keys=…)}, Python's default separators {@code ", "} and {@code ": "}.
   */
  static final class ToJson implements Filter {
    @Override
    public String getName() {
      return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
      return filter(var, interpreter, args, Map.of());
    }

    @Override
    public Object filter(
        Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
      Map<String, Object> options = new HashMap<>(kwargs);
      for (Object arg : args) {
        if (arg instanceof NamedParameter named) {
          options.put(named.getName(), named.getValue());
        } else if (arg != null && !options.containsKey("indent")) {
          options.put("indent", arg);
        }
      }
      Object indent = options.get("indent");
      boolean sortKeys = Boolean.TRUE.equals(options.get("sort_keys"));
      if (Boolean.TRUE.equals(options.get("ensure_ascii")) || options.containsKey("separators")) {
        throw new InterpretException(
            "tojson with ensure_ascii=true or separators is not supported by Colloquy's engine");
      }
      return PythonJson.dumps(var, indent == null ? -1 : ((Number) indent).intValue(), sortKeys);
    }
  }
}
