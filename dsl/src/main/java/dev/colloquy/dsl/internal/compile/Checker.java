package dev.colloquy.dsl.internal.compile;

import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.prompt.PromptTemplate;
import dev.colloquy.dsl.ast.AgentSetting;
import dev.colloquy.dsl.ast.Declaration;
import dev.colloquy.dsl.ast.Literal;
import dev.colloquy.dsl.ast.Name;
import dev.colloquy.dsl.ast.Prompt;
import dev.colloquy.dsl.ast.SecretSource;
import dev.colloquy.dsl.ast.Step;
import dev.colloquy.dsl.internal.syntax.ParsedSource;
import dev.colloquy.dsl.internal.syntax.Reporter;
import dev.colloquy.dsl.internal.syntax.Suggestions;
import dev.colloquy.dsl.internal.syntax.Token;
import dev.colloquy.dsl.internal.syntax.ValueRanges;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a set of parsed files as a whole and turns agent declarations into {@link AgentPlan}s.
 *
 * <p>Invariants: every problem is reported to the reporter of the file it is in, at the node it is
 * about, and checking goes on, so one load lists all errors; a name the files do not define is
 * reported with the valid names and the nearest one; no message contains a secret's value.
 * Recursion follows the step tree, whose depth the parser bounds.
 */
public final class Checker {

  /**
   * What the application binds, by name.
   *
   * @param models model names
   * @param tools tool names
   * @param functions function names
   * @param predicates predicate names
   * @param guards guard names
   * @param checkBound whether to check names against these sets (off for a check without the
   *     application's bindings)
   * @param environment reads an environment variable for a secret; empty when unset
   */
  public record Names(
      Set<String> models,
      Set<String> tools,
      Set<String> functions,
      Set<String> predicates,
      Set<String> guards,
      boolean checkBound,
      Function<String, Optional<String>> environment) {}

  /**
   * The checked declarations by name.
   *
   * @param agents the agents' plans
   * @param templates the templates
   * @param flows the flows
   * @param secrets the secrets
   * @param mcpServers the MCP servers
   */
  public record Result(
      Map<String, AgentPlan> agents,
      Map<String, Declaration.Template> templates,
      Map<String, Declaration.Flow> flows,
      Map<String, Declaration.Secret> secrets,
      Map<String, McpPlan> mcpServers) {}

  private static final List<String> OPTION_KEYS =
      List.of("max_tokens", "repetition_penalty", "seed", "stop", "temperature", "top_k", "top_p");
  private static final List<String> BUDGET_KEYS =
      List.of("deadline", "rounds", "tool_calls", "tool_timeout");
  private static final Set<String> FLOW_VARIABLES = Set.of("input");
  // ToolDefinition's limit on names, which models impose.
  private static final int MAX_TOOL_NAME = 64;

  /** The label offered to a classifying model for the {@code else} case. */
  public static final String OTHER_LABEL = "other";

  private final Names names;
  private final Map<String, Declaration> declared = new LinkedHashMap<>();
  private final Map<String, ParsedSource> fileOf = new LinkedHashMap<>();
  private final Result result =
      new Result(
          new LinkedHashMap<>(),
          new LinkedHashMap<>(),
          new LinkedHashMap<>(),
          new LinkedHashMap<>(),
          new LinkedHashMap<>());

  private Checker(Names names) {
    this.names = names;
  }

  /** Checks files that parsed without errors, reporting to each file's reporter. */
  public static Result check(List<ParsedSource> files, Names names) {
    Checker checker = new Checker(names);
    checker.index(files);
    for (ParsedSource file : files) {
      for (Declaration d : file.file().declarations()) {
        if (checker.declared.get(d.name()) != d) {
          continue;
        }
        if (d instanceof Declaration.Template t) {
          checker.template(file, t);
        } else if (d instanceof Declaration.Agent a) {
          checker.agent(file, a);
        } else if (d instanceof Declaration.Flow f) {
          checker.steps(file, f.steps());
          checker.result.flows().put(f.name(), f);
        } else if (d instanceof Declaration.Secret s) {
          checker.secret(file, s);
        } else if (d instanceof Declaration.McpServer m) {
          checker.result.mcpServers().put(m.name(), McpChecker.check(file, m, checker.declared));
        }
      }
    }
    return checker.result;
  }

  private void index(List<ParsedSource> files) {
    for (ParsedSource file : files) {
      for (Declaration d : file.file().declarations()) {
        Declaration first = declared.get(d.name());
        if (first != null) {
          ParsedSource firstFile = fileOf.get(d.name());
          Token at = firstFile.spans().at(first);
          error(
              file,
              d,
              "`"
                  + d.name()
                  + "` is already declared at "
                  + firstFile.source().name()
                  + ":"
                  + firstFile.source().line(at.start())
                  + ":"
                  + firstFile.source().column(at.start()),
              "agents, flows, templates, secrets and mcp servers share one set of names");
        } else {
          declared.put(d.name(), d);
          fileOf.put(d.name(), file);
        }
      }
    }
  }

  private void template(ParsedSource file, Declaration.Template t) {
    Set<String> declaredVariables = new LinkedHashSet<>();
    for (String v : t.variables()) {
      if (!declaredVariables.add(v)) {
        error(file, t, "template `" + t.name() + "` declares `" + v + "` twice");
      }
    }
    Set<String> used = PromptTemplate.of(t.name(), t.text()).variables();
    Token text = file.spans().textAt(t);
    for (String v : used) {
      if (!declaredVariables.contains(v)) {
        variableError(
            file,
            text,
            v,
            "template `" + t.name() + "` uses `{{" + v + "}}`, which it does not declare",
            "declare it in the parentheses: template "
                + t.name()
                + "("
                + String.join(", ", append(t.variables(), v))
                + ")");
      }
    }
    for (String v : declaredVariables) {
      if (!used.contains(v)) {
        error(
            file,
            t,
            "template `" + t.name() + "` declares `" + v + "`, which its text never uses",
            "use it as {{" + v + "}} or remove it from the parentheses");
      }
    }
    result.templates().put(t.name(), t);
  }

  private void agent(ParsedSource file, Declaration.Agent agent) {
    Map<String, AgentSetting> once = new LinkedHashMap<>();
    String model = null;
    Prompt prompt = null;
    Map<String, String> variables = new LinkedHashMap<>();
    Map<String, AgentSetting> variableAt = new LinkedHashMap<>();
    Set<String> expected = new LinkedHashSet<>();
    AgentPlan.MemoryPlan memory = AgentPlan.MemoryPlan.DEFAULT;
    List<String> tools = new ArrayList<>();
    ChatOptions options = ChatOptions.defaults();
    AgentPlan.Budget budget = new AgentPlan.Budget(null, null, null, null);
    String inputGuard = null;
    String outputGuard = null;
    String refusal = null;
    for (AgentSetting s : agent.settings()) {
      String keyword = keyword(s);
      if (!keyword.equals("var") && !keyword.equals("expect") && once.containsKey(keyword)) {
        Token first = file.spans().at(once.get(keyword));
        error(
            file,
            s,
            "`" + keyword + "` is set twice in agent `" + agent.name() + "`",
            "the first is at line " + file.source().line(first.start()));
        continue;
      }
      once.put(keyword, s);
      if (s instanceof AgentSetting.Model m) {
        model = m.model();
        if (names.checkBound() && !names.models().contains(m.model())) {
          error(
              file,
              s,
              "unknown model `" + Token.shortened(m.model()) + "`",
              Suggestions.forUnknown("models", m.model(), names.models()));
        }
      } else if (s instanceof AgentSetting.SystemPrompt sp) {
        prompt = sp.prompt();
      } else if (s instanceof AgentSetting.Variable v) {
        if (variables.containsKey(v.name()) || expected.contains(v.name())) {
          error(
              file,
              s,
              "variable `" + v.name() + "` is given twice in agent `" + agent.name() + "`");
        }
        variables.put(v.name(), v.value());
        variableAt.put(v.name(), s);
      } else if (s instanceof AgentSetting.Expect e) {
        for (String n : e.names()) {
          if (variables.containsKey(n) || !expected.add(n)) {
            error(file, s, "variable `" + n + "` is given twice in agent `" + agent.name() + "`");
          }
          variableAt.putIfAbsent(n, s);
        }
      } else if (s instanceof AgentSetting.Memory m) {
        memory =
            new AgentPlan.MemoryPlan(
                m.window() != 0 ? m.window() : m.tokens() != 0 ? 0 : AgentPlan.DEFAULT_WINDOW,
                m.tokens(),
                m.summarizeWith().orElse(""));
        Token size = file.spans().textAt(s);
        int window = m.window();
        if (window != 0 && window < ValueRanges.MIN_WINDOW) {
          file.reporter()
              .error(
                  size,
                  "memory window must be at least 2 (a question and its answer), was " + window);
        } else if (window > ValueRanges.MAX_WINDOW) {
          file.reporter()
              .error(
                  size,
                  "memory window must be at most " + ValueRanges.MAX_WINDOW + ", was " + window);
        }
        if (m.tokens() != 0
            && (m.tokens() < ValueRanges.MIN_TOKENS || m.tokens() > ValueRanges.MAX_TOKENS)) {
          file.reporter()
              .error(
                  size,
                  "memory tokens must be between "
                      + ValueRanges.MIN_TOKENS
                      + " and "
                      + ValueRanges.MAX_TOKENS
                      + ", was "
                      + m.tokens());
        }
        m.summarizeWith().ifPresent(summarizer -> model(file, s, summarizer));
      } else if (s instanceof AgentSetting.Tools t) {
        for (Name tool : t.tools()) {
          if (tools.contains(tool.value())) {
            error(file, tool, "tool `" + tool.value() + "` is listed twice");
          } else {
            tools.add(tool.value());
          }
          boolean isFlow = declared.get(tool.value()) instanceof Declaration.Flow;
          boolean isMcp = declared.get(tool.value()) instanceof Declaration.McpServer;
          if (isFlow
              && !names.tools().contains(tool.value())
              && tool.value().length() > MAX_TOOL_NAME) {
            error(
                file,
                tool,
                "flow `"
                    + Token.shortened(tool.value())
                    + "` cannot be offered as a tool: its name is longer than "
                    + MAX_TOOL_NAME
                    + " characters",
                "models accept tool names of at most " + MAX_TOOL_NAME + " characters");
          }
          if (names.checkBound() && !isFlow && !isMcp && !names.tools().contains(tool.value())) {
            Set<String> valid = new LinkedHashSet<>(names.tools());
            valid.addAll(namesOf(Declaration.Flow.class));
            valid.addAll(namesOf(Declaration.McpServer.class));
            error(
                file,
                tool,
                "unknown tool `" + tool.value() + "`",
                Suggestions.forUnknown("tools", tool.value(), valid));
          }
        }
      } else if (s instanceof AgentSetting.Options o) {
        options = options(file, o);
      } else if (s instanceof AgentSetting.Budget b) {
        budget = budget(file, b);
      } else if (s instanceof AgentSetting.Guardrail g) {
        bound(file, g.guard(), "guard", "guards", names.guards());
        if (g.stage() == AgentSetting.Guardrail.Stage.INPUT) {
          inputGuard = g.guard().value();
        } else {
          outputGuard = g.guard().value();
        }
      } else if (s instanceof AgentSetting.Refusal r) {
        refusal = r.text();
        if (r.text().isBlank()) {
          error(
              file,
              s,
              "the refusal must not be blank",
              "write what the user reads when a guard blocks a turn");
        }
      }
    }
    if (tools.isEmpty()) {
      for (AgentSetting s : agent.settings()) {
        if (s instanceof AgentSetting.Budget b) {
          for (AgentSetting.Entry e : b.entries()) {
            if (!e.key().equals("deadline") && BUDGET_KEYS.contains(e.key())) {
              error(
                  file,
                  e,
                  "budget `"
                      + e.key()
                      + "` has no effect: agent `"
                      + agent.name()
                      + "` has no tools",
                  "add `tools ...`, or remove the budget");
            }
          }
        }
      }
    }
    if (model == null) {
      error(
          file,
          agent,
          "agent `" + agent.name() + "` has no model",
          "add a line `model \"name\"` with a model the application binds");
    }
    String promptName = "";
    String text = "";
    Set<String> declaredVariables = null;
    Set<String> used = Set.of();
    if (prompt instanceof Prompt.Inline inline) {
      promptName = "agent " + agent.name() + " system prompt";
      text = inline.text();
      used = PromptTemplate.of(promptName, text).variables();
      Token at = file.spans().at(prompt);
      for (String v : used) {
        if (!variables.containsKey(v) && !expected.contains(v)) {
          variableError(
              file,
              at,
              v,
              "the system prompt uses `{{" + v + "}}`, which has no value",
              "set a default with `var " + v + " = \"...\"` or declare it with `expect " + v + "`");
        }
      }
    } else if (prompt instanceof Prompt.Reference ref) {
      Declaration.Template template = template(file, ref.template());
      if (template != null) {
        promptName = template.name();
        text = template.text();
        declaredVariables = new LinkedHashSet<>(template.variables());
        used = declaredVariables;
        for (String v : template.variables()) {
          if (!variables.containsKey(v) && !expected.contains(v)) {
            error(
                file,
                ref.template(),
                "template `"
                    + template.name()
                    + "` needs `"
                    + v
                    + "`, which has no value in agent `"
                    + agent.name()
                    + "`",
                "set a default with `var "
                    + v
                    + " = \"...\"` or declare it with `expect "
                    + v
                    + "`");
          }
        }
      } else {
        used = null;
      }
    }
    if (used != null) {
      for (Map.Entry<String, AgentSetting> v : variableAt.entrySet()) {
        if (!used.contains(v.getKey())) {
          error(
              file,
              v.getValue(),
              "variable `" + v.getKey() + "` is never used by the system prompt",
              "remove it, or use it in the prompt as {{" + v.getKey() + "}}");
        }
      }
    }
    result
        .agents()
        .put(
            agent.name(),
            new AgentPlan(
                agent.name(),
                model == null ? "" : model,
                promptName,
                text,
                declaredVariables,
                variables,
                expected,
                memory,
                tools,
                options,
                budget,
                inputGuard,
                outputGuard,
                refusal));
  }

  private ChatOptions options(ParsedSource file, AgentSetting.Options o) {
    ChatOptions.Builder builder = ChatOptions.builder();
    Set<String> seen = new LinkedHashSet<>();
    List<String> stops = new ArrayList<>();
    AgentSetting.Entry stopAt = null;
    for (AgentSetting.Entry e : o.entries()) {
      if (!OPTION_KEYS.contains(e.key())) {
        error(
            file,
            e,
            "unknown option `" + e.key() + "`",
            Suggestions.forUnknown("options", e.key(), OPTION_KEYS));
        continue;
      }
      if (!e.key().equals("stop") && !seen.add(e.key())) {
        error(file, e, "option `" + e.key() + "` is set twice");
        continue;
      }
      try {
        switch (e.key()) {
          case "temperature" -> builder.temperature(decimal(file, e));
          case "top_p" -> builder.topP(decimal(file, e));
          case "top_k" -> builder.topK(whole(file, e));
          case "max_tokens" -> builder.maxTokens(whole(file, e));
          case "seed" -> builder.seed(whole(file, e));
          case "repetition_penalty" -> builder.repetitionPenalty(decimal(file, e));
          default -> {
            if (e.value() instanceof Literal.Text t) {
              stops.add(t.value());
              stopAt = e;
            } else {
              valueError(file, e, "a string");
            }
          }
        }
      } catch (IllegalArgumentException | IllegalStateException ex) {
        errorAtValue(file, e, "option `" + e.key() + "`: " + ex.getMessage());
      } catch (BadValue ignored) {
        // already reported
      }
    }
    if (!stops.isEmpty()) {
      try {
        builder.stop(stops);
      } catch (IllegalArgumentException ex) {
        errorAtValue(file, stopAt, "option `stop`: " + ex.getMessage());
      }
    }
    return builder.build();
  }

  private AgentPlan.Budget budget(ParsedSource file, AgentSetting.Budget b) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (AgentSetting.Entry e : b.entries()) {
      if (!BUDGET_KEYS.contains(e.key())) {
        error(
            file,
            e,
            "unknown budget `" + e.key() + "`",
            Suggestions.forUnknown("budgets", e.key(), BUDGET_KEYS));
        continue;
      }
      if (values.containsKey(e.key())) {
        error(file, e, "budget `" + e.key() + "` is set twice");
        continue;
      }
      try {
        String written = file.spans().textAt(e).value();
        if (e.key().equals("rounds") || e.key().equals("tool_calls")) {
          BigDecimal n = wholeNumber(file, e);
          if (n.signum() < 0) {
            errorAtValue(file, e, "budget `" + e.key() + "` must not be negative, was " + written);
          } else if (n.signum() == 0) {
            errorAtValue(file, e, "budget `" + e.key() + "` must be at least 1, was " + written);
          } else if (n.compareTo(BigDecimal.valueOf(ValueRanges.MAX_PER_TURN)) > 0) {
            errorAtValue(
                file,
                e,
                "budget `"
                    + e.key()
                    + "` must be at most "
                    + ValueRanges.MAX_PER_TURN
                    + ", was "
                    + Token.shortened(written));
          } else {
            values.put(e.key(), n.intValueExact());
          }
        } else if (e.value() instanceof Literal.Time t) {
          if (t.value().isNegative()) {
            errorAtValue(
                file,
                e,
                "budget `" + e.key() + "` must not be negative, was " + Token.shortened(written));
          } else if (t.value().isZero()) {
            errorAtValue(file, e, "budget `" + e.key() + "` must be longer than 0");
          } else if (t.value().compareTo(ValueRanges.LONGEST) > 0) {
            errorAtValue(
                file,
                e,
                "budget `"
                    + e.key()
                    + "` must be at most "
                    + ValueRanges.LONGEST_TEXT
                    + ", was "
                    + Token.shortened(written),
                "durations go from 1ms to " + ValueRanges.LONGEST_TEXT);
          } else {
            values.put(e.key(), t.value());
          }
        } else {
          valueError(file, e, "a duration such as `10s`");
        }
      } catch (BadValue ignored) {
        // already reported
      }
    }
    return new AgentPlan.Budget(
        (Integer) values.get("rounds"),
        (Integer) values.get("tool_calls"),
        (java.time.Duration) values.get("tool_timeout"),
        (java.time.Duration) values.get("deadline"));
  }

  private void secret(ParsedSource file, Declaration.Secret s) {
    if (s.source() instanceof SecretSource.Environment env) {
      if (names.environment().apply(env.variable()).isEmpty()) {
        error(
            file,
            s,
            "secret `"
                + s.name()
                + "` reads environment variable `"
                + Token.shortened(env.variable())
                + "`, which is not set",
            "set it where the application runs");
      }
    } else if (s.source() instanceof SecretSource.Inline inline
        && inline.value().equals(SecretSource.Inline.PLACEHOLDER)) {
      error(
          file,
          s,
          "secret `"
              + s.name()
              + "` is `"
              + SecretSource.Inline.PLACEHOLDER
              + "`, which is how the printer writes a value it does not show",
          "write the value back, or read it with `env \"VARIABLE\"`");
    }
    result.secrets().put(s.name(), s);
  }

  private void steps(ParsedSource file, List<Step> steps) {
    for (Step step : steps) {
      if (step instanceof Step.Ask a) {
        model(file, step, a.model());
        if (a.prompt() instanceof Prompt.Inline inline) {
          for (String v : PromptTemplate.of("flow prompt", inline.text()).variables()) {
            if (!FLOW_VARIABLES.contains(v)) {
              variableError(
                  file,
                  file.spans().at(a.prompt()),
                  v,
                  "a flow prompt can use only `{{input}}`, not `{{" + v + "}}`",
                  "`{{input}}` is the output of the step before");
            }
          }
        } else if (a.prompt() instanceof Prompt.Reference ref) {
          Declaration.Template t = template(file, ref.template());
          if (t != null && !FLOW_VARIABLES.containsAll(t.variables())) {
            error(
                file,
                ref.template(),
                "template `"
                    + t.name()
                    + "` declares "
                    + t.variables()
                    + ", but a flow prompt has only `input`",
                "declare the template as " + t.name() + "(input)");
          }
        }
      } else if (step instanceof Step.CallTool t) {
        bound(file, t.tool(), "tool", "tools", names.tools());
      } else if (step instanceof Step.CallFunction f) {
        bound(file, f.function(), "function", "functions", names.functions());
      } else if (step instanceof Step.CallAgent a) {
        if (!(declared.get(a.agent().value()) instanceof Declaration.Agent)) {
          error(
              file,
              a.agent(),
              "unknown agent `" + a.agent().value() + "`",
              Suggestions.forUnknown(
                  "agents", a.agent().value(), namesOf(Declaration.Agent.class)));
        }
      } else if (step instanceof Step.If i) {
        bound(file, i.predicate(), "predicate", "predicates", names.predicates());
        steps(file, i.then());
        steps(file, i.otherwise());
      } else if (step instanceof Step.Classify c) {
        model(file, step, c.model());
        Set<String> labels = new LinkedHashSet<>();
        for (Step.Case each : c.cases()) {
          if (!labels.add(each.label())) {
            error(file, each, "label `" + each.label() + "` appears twice in `classify`");
          } else if (each.label().equals(OTHER_LABEL) && !c.otherwise().isEmpty()) {
            error(
                file,
                each,
                "label `" + OTHER_LABEL + "` is taken by `else` in this `classify`",
                "rename the label, or drop the `else`");
          }
          steps(file, each.steps());
        }
        steps(file, c.otherwise());
      } else if (step instanceof Step.Repeat r) {
        bound(file, r.until(), "predicate", "predicates", names.predicates());
        steps(file, r.body());
      } else if (step instanceof Step.Parallel p) {
        bound(file, p.join(), "function", "functions", names.functions());
        for (List<Step> branch : p.branches()) {
          steps(file, branch);
        }
      } else if (step instanceof Step.Each e) {
        steps(file, e.body());
      }
    }
  }

  // ---- helpers ----

  private Declaration.Template template(ParsedSource file, Name name) {
    Declaration d = declared.get(name.value());
    if (d instanceof Declaration.Template t) {
      return t;
    }
    if (d != null) {
      error(file, name, "`" + name.value() + "` is " + kind(d) + ", not a template");
    } else {
      error(
          file,
          name,
          "unknown template `" + name.value() + "`",
          Suggestions.forUnknown("templates", name.value(), namesOf(Declaration.Template.class)));
    }
    return null;
  }

  private void model(ParsedSource file, Object node, String model) {
    if (names.checkBound() && !names.models().contains(model)) {
      error(
          file,
          node,
          "unknown model `" + Token.shortened(model) + "`",
          Suggestions.forUnknown("models", model, names.models()));
    }
  }

  private void bound(ParsedSource file, Name name, String kind, String plural, Set<String> valid) {
    if (names.checkBound() && !valid.contains(name.value())) {
      error(
          file,
          name,
          "unknown " + kind + " `" + name.value() + "`",
          Suggestions.forUnknown(plural, name.value(), valid));
    }
  }

  private List<String> namesOf(Class<? extends Declaration> kind) {
    return declared.values().stream().filter(kind::isInstance).map(Declaration::name).toList();
  }

  private static String kind(Declaration d) {
    return d instanceof Declaration.Agent
        ? "an agent"
        : d instanceof Declaration.Flow
            ? "a flow"
            : d instanceof Declaration.Secret
                ? "a secret"
                : d instanceof Declaration.McpServer ? "an mcp server" : "a template";
  }

  private static String keyword(AgentSetting s) {
    return s instanceof AgentSetting.Model
        ? "model"
        : s instanceof AgentSetting.SystemPrompt
            ? "system"
            : s instanceof AgentSetting.Variable
                ? "var"
                : s instanceof AgentSetting.Expect
                    ? "expect"
                    : s instanceof AgentSetting.Memory
                        ? "memory"
                        : s instanceof AgentSetting.Tools
                            ? "tools"
                            : s instanceof AgentSetting.Options
                                ? "options"
                                : s instanceof AgentSetting.Budget
                                    ? "budget"
                                    : s instanceof AgentSetting.Refusal
                                        ? "refusal"
                                        : ((AgentSetting.Guardrail) s).stage()
                                                == AgentSetting.Guardrail.Stage.INPUT
                                            ? "guard input"
                                            : "guard output";
  }

  private static List<String> append(List<String> list, String value) {
    List<String> out = new ArrayList<>(list);
    out.add(value);
    return out;
  }

  /** Thrown after a value of the wrong type has been reported. */
  private static final class BadValue extends Exception {
    private static final long serialVersionUID = 1L;

    BadValue() {
      super(null, null, false, false);
    }
  }

  private double decimal(ParsedSource file, AgentSetting.Entry e) throws BadValue {
    if (e.value() instanceof Literal.Number n) {
      return n.value().doubleValue();
    }
    throw valueError(file, e, "a number");
  }

  /** Returns an entry's whole number, of any size. */
  private BigDecimal wholeNumber(ParsedSource file, AgentSetting.Entry e) throws BadValue {
    if (e.value() instanceof Literal.Number n && n.value().stripTrailingZeros().scale() <= 0) {
      return n.value();
    }
    throw valueError(file, e, "a whole number");
  }

  private int whole(ParsedSource file, AgentSetting.Entry e) throws BadValue {
    if (e.value() instanceof Literal.Number n) {
      try {
        return n.value().intValueExact();
      } catch (ArithmeticException ex) {
        throw valueError(file, e, "a whole number no larger than " + Integer.MAX_VALUE);
      }
    }
    throw valueError(file, e, "a whole number");
  }

  private BadValue valueError(ParsedSource file, AgentSetting.Entry e, String expected) {
    Token value = file.spans().textAt(e);
    errorAtValue(file, e, "`" + e.key() + "` takes " + expected + ", found " + value.describe());
    return new BadValue();
  }

  private void errorAtValue(
      ParsedSource file, AgentSetting.Entry e, String message, String... notes) {
    Token value = file.spans().textAt(e);
    file.reporter().error(value, message, notes);
  }

  private void error(ParsedSource file, Object node, String message, String... notes) {
    error(file, node, message, List.of(notes));
  }

  private void error(ParsedSource file, Object node, String message, List<String> notes) {
    Token at = file.spans().at(node);
    file.reporter().error(at.start(), at.end() - at.start(), message, notes);
  }

  /** Reports at the first {@code {{variable}}} inside a text token, or at the token. */
  private void variableError(
      ParsedSource file, Token text, String variable, String message, String note) {
    Reporter reporter = file.reporter();
    String source = file.source().text();
    Matcher m =
        Pattern.compile("\\{\\{\\s*" + Pattern.quote(variable) + "\\s*}}")
            .matcher(source)
            .region(text.start(), text.end());
    while (m.find()) {
      if (m.start() == 0 || source.charAt(m.start() - 1) != '\\') {
        reporter.error(m.start(), m.end() - m.start(), message, note);
        return;
      }
    }
    reporter.error(text, message, note);
  }
}
