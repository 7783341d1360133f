package dev.colloquy.dsl.internal.syntax;

import dev.colloquy.dsl.ast.AgentSetting;
import dev.colloquy.dsl.ast.Declaration;
import dev.colloquy.dsl.ast.DefinitionFile;
import dev.colloquy.dsl.ast.Literal;
import dev.colloquy.dsl.ast.McpSetting;
import dev.colloquy.dsl.ast.Name;
import dev.colloquy.dsl.ast.Prompt;
import dev.colloquy.dsl.ast.SecretSource;
import dev.colloquy.dsl.ast.Step;
import dev.colloquy.dsl.internal.syntax.Token.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recursive-descent parser with error recovery.
 *
 * <p>Invariants: recursion happens only for nested step blocks and stops at {@link #MAX_DEPTH}; a
 * deeper block is reported once and skipped by an iterative brace count, so no input can overflow
 * the stack. Every loop consumes at least one token per turn or ends. After an error the parser
 * skips to the next line's first token (or the closing brace) of the same block and goes on, so one
 * pass reports all errors of a file; it stops once the reporter is full.
 */
public final class Parser {
  /** The deepest nesting of step blocks accepted. */
  public static final int MAX_DEPTH = 64;

  static final List<String> DECLARATIONS = List.of("agent", "flow", "mcp", "secret", "template");
  static final List<String> MCP_SETTINGS = List.of("command", "env", "header", "tools", "url");
  static final List<String> SETTINGS =
      List.of(
          "budget", "expect", "guard", "memory", "model", "options", "refusal", "system", "tools",
          "var");
  static final List<String> STEPS =
      List.of("agent", "ask", "call", "classify", "each", "if", "parallel", "repeat", "tool");

  /** Thrown after an error has been reported, to abandon the construct being parsed. */
  private static final class Bail extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Bail() {
      super(null, null, false, false);
    }
  }

  private final List<Token> tokens;
  private final Reporter reporter;
  private final SourceMap spans = new SourceMap();
  private int index;

  private Parser(List<Token> tokens, Reporter reporter) {
    this.tokens = tokens;
    this.reporter = reporter;
  }

  /** The parse of one file: its tree and where each node came from. */
  public record Result(DefinitionFile file, SourceMap spans) {}

  /** Parses the tokens of a file, reporting every error to the reporter. */
  public static Result parse(List<Token> tokens, Reporter reporter) {
    Parser parser = new Parser(tokens, reporter);
    DefinitionFile file = parser.file();
    return new Result(file, parser.spans);
  }

  private DefinitionFile file() {
    List<Declaration> declarations = new ArrayList<>();
    while (peek().kind() != Kind.EOF && !reporter.full()) {
      int start = index;
      try {
        declarations.add(declaration());
      } catch (Bail bail) {
        recoverTopLevel(start);
        if (tokens.get(start).is("secret")) {
          maskConsumed(start);
        }
      }
    }
    if (declarations.isEmpty() && !reporter.hasErrors()) {
      reporter.error(
          peek(),
          "the file declares nothing",
          "expected one of: " + String.join(", ", DECLARATIONS));
    }
    return new DefinitionFile(reporter.source().name(), declarations);
  }

  private Declaration declaration() {
    Token keyword = peek();
    if (keyword.is("agent")) {
      advance();
      return agent();
    } else if (keyword.is("flow")) {
      advance();
      Token name = name("a flow name");
      Declaration.Flow flow =
          new Declaration.Flow(name.value(), block(1, "flow `" + name.value() + "`"));
      spans.put(flow, name);
      return flow;
    } else if (keyword.is("template")) {
      advance();
      return template();
    } else if (keyword.is("secret")) {
      advance();
      return secret();
    } else if (keyword.is("mcp")) {
      advance();
      return mcp();
    }
    throw unexpected("a declaration", DECLARATIONS);
  }

  private Declaration agent() {
    Token name = name("an agent name");
    Token open = expect(Kind.LBRACE, "`{` to open agent `" + name.value() + "`");
    List<AgentSetting> settings = new ArrayList<>();
    while (!closeOrEnd(open, "agent `" + name.value() + "`")) {
      int start = index;
      try {
        settings.add(setting());
      } catch (Bail bail) {
        recover(start);
      }
    }
    Declaration.Agent agent = new Declaration.Agent(name.value(), settings);
    spans.put(agent, name);
    return agent;
  }

  private AgentSetting setting() {
    Token keyword = peek();
    AgentSetting setting;
    Token where = keyword;
    switch (keyword.kind() == Kind.IDENT ? keyword.value() : "") {
      case "model" -> {
        advance();
        where = expect(Kind.STRING, "the model's name as a string, such as \"shop-model\"");
        setting = new AgentSetting.Model(where.value());
      }
      case "system" -> {
        advance();
        where = peek();
        setting = new AgentSetting.SystemPrompt(prompt());
      }
      case "var" -> {
        advance();
        where = name("a variable name");
        expect(Kind.EQUALS, "`=`");
        setting =
            new AgentSetting.Variable(
                where.value(), expect(Kind.STRING, "the variable's value as a string").value());
      }
      case "expect" -> {
        advance();
        List<String> names = new ArrayList<>();
        for (Token t : names("a variable name")) {
          names.add(t.value());
        }
        setting = new AgentSetting.Expect(names);
      }
      case "memory" -> {
        advance();
        int window = 0;
        int tokens = 0;
        Optional<String> summarizer = Optional.empty();
        Token first = null;
        do {
          Token clause = peek();
          if (clause.is("window") && window == 0) {
            advance();
            Token size = expect(Kind.NUMBER, "the window size, a whole number");
            window = integer(size, "memory window", ValueRanges.MIN_WINDOW, ValueRanges.MAX_WINDOW);
            first = first == null ? size : first;
          } else if (clause.is("tokens") && tokens == 0) {
            advance();
            Token size = expect(Kind.NUMBER, "the token budget, a whole number");
            tokens = integer(size, "memory tokens", ValueRanges.MIN_TOKENS, ValueRanges.MAX_TOKENS);
            first = first == null ? size : first;
          } else if (clause.is("summarize") && summarizer.isEmpty() && first != null) {
            advance();
            summarizer = Optional.of(expect(Kind.STRING, "the summarizing model's name").value());
          } else if (first == null) {
            throw unexpected("a memory policy", List.of("window", "tokens"));
          } else {
            break;
          }
        } while (true);
        setting = new AgentSetting.Memory(window, tokens, summarizer);
        spans.putText(setting, first);
      }
      case "tools" -> {
        advance();
        List<Name> tools = new ArrayList<>();
        for (Token t : names("a tool name")) {
          tools.add(name(t));
        }
        setting = new AgentSetting.Tools(tools);
      }
      case "options" -> {
        advance();
        setting = new AgentSetting.Options(entries("an option name"));
      }
      case "budget" -> {
        advance();
        setting = new AgentSetting.Budget(entries("a budget name"));
      }
      case "guard" -> {
        advance();
        Token stage = peek();
        if (!stage.is("input") && !stage.is("output")) {
          throw unexpected("the text the guard checks", List.of("input", "output"));
        }
        advance();
        where = name("a guard name");
        setting =
            new AgentSetting.Guardrail(
                stage.is("input")
                    ? AgentSetting.Guardrail.Stage.INPUT
                    : AgentSetting.Guardrail.Stage.OUTPUT,
                name(where));
      }
      case "refusal" -> {
        advance();
        where = expect(Kind.STRING, "the refusal's text as a string");
        setting = new AgentSetting.Refusal(where.value());
      }
      default -> throw unexpected("an agent setting", SETTINGS);
    }
    spans.put(setting, where);
    return setting;
  }

  private List<AgentSetting.Entry> entries(String what) {
    List<AgentSetting.Entry> entries = new ArrayList<>();
    do {
      Token key = name(what);
      Token value = peek();
      Literal literal =
          switch (value.kind()) {
            case NUMBER -> new Literal.Number(new BigDecimal(value.value()));
            case STRING -> new Literal.Text(value.value());
            case DURATION -> new Literal.Time(duration(value));
            default ->
                throw unexpected(
                    "a value (a number, a string or a duration such as `10s`) for `"
                        + Token.shortened(key.value())
                        + "`",
                    List.of());
          };
      advance();
      AgentSetting.Entry entry = new AgentSetting.Entry(key.value(), literal);
      spans.put(entry, key);
      spans.putText(entry, value);
      entries.add(entry);
    } while (accept(Kind.COMMA));
    return entries;
  }

  private Declaration mcp() {
    Token name = name("an MCP server name");
    String owner = "mcp server `" + name.value() + "`";
    Token open = expect(Kind.LBRACE, "`{` to open " + owner);
    List<McpSetting> settings = new ArrayList<>();
    while (!closeOrEnd(open, owner)) {
      int start = index;
      try {
        settings.add(mcpSetting());
      } catch (Bail bail) {
        recover(start);
      }
    }
    Declaration.McpServer server = new Declaration.McpServer(name.value(), settings);
    spans.put(server, name);
    return server;
  }

  private McpSetting mcpSetting() {
    Token keyword = peek();
    McpSetting setting;
    Token where = keyword;
    switch (keyword.kind() == Kind.IDENT ? keyword.value() : "") {
      case "command" -> {
        advance();
        List<String> words = new ArrayList<>();
        do {
          words.add(expect(Kind.STRING, "the program and its arguments, as strings").value());
        } while (peek().kind() == Kind.STRING);
        setting = new McpSetting.Command(words);
      }
      case "url" -> {
        advance();
        where = expect(Kind.STRING, "the server's URL as a string, such as \"http://host/mcp\"");
        setting = new McpSetting.Url(where.value());
      }
      case "env" -> {
        advance();
        where = name("an environment variable's name");
        expect(Kind.EQUALS, "`=` and the name of the secret that holds its value");
        setting = new McpSetting.Environment(where.value(), name(name("a secret's name")));
      }
      case "header" -> {
        advance();
        where = expect(Kind.STRING, "the header's name as a string, such as \"Authorization\"");
        expect(Kind.EQUALS, "`=` and the name of the secret that holds its value");
        setting = new McpSetting.Header(where.value(), name(name("a secret's name")));
      }
      case "tools" -> {
        advance();
        List<String> names = new ArrayList<>();
        do {
          names.add(expect(Kind.STRING, "a tool's name as the server gives it, a string").value());
        } while (accept(Kind.COMMA));
        setting = new McpSetting.Tools(names);
      }
      default -> throw unexpected("an mcp server setting", MCP_SETTINGS);
    }
    spans.put(setting, where);
    return setting;
  }

  private Declaration template() {
    Token name = name("a template name");
    expect(Kind.LPAREN, "`(` and the template's variables, such as `(shop, customer)`");
    List<String> variables = new ArrayList<>();
    if (peek().kind() != Kind.RPAREN) {
      for (Token t : names("a variable name")) {
        variables.add(t.value());
      }
    }
    expect(Kind.RPAREN, "`)`");
    Token text = peek();
    if (text.kind() != Kind.TEXT && text.kind() != Kind.STRING) {
      throw unexpected("the template's text, a `\"\"\"` text block or a string", List.of());
    }
    advance();
    Declaration.Template template = new Declaration.Template(name.value(), variables, text.value());
    spans.put(template, name);
    spans.putText(template, text);
    return template;
  }

  private Declaration secret() {
    Token name = name("a secret name");
    expect(Kind.EQUALS, "`=`");
    SecretSource source;
    if (peek().is("env")) {
      advance();
      Token variable = expect(Kind.STRING, "the environment variable's name as a string");
      if (!SecretSpans.isVariableName(variable.value())) {
        // Perhaps the value itself, written where the name goes: the lexer has hidden it.
        reporter.error(
            variable,
            "an environment variable's name is letters, digits and `_`, not starting with a digit",
            "write the variable's name, as in `env \"SHOP_API_KEY\"`, not its value");
        throw new Bail();
      }
      source = new SecretSource.Environment(variable.value());
    } else if (peek().kind() == Kind.STRING) {
      source = new SecretSource.Inline(advance().value());
    } else {
      throw unexpected("`env \"VARIABLE\"` or a string", List.of());
    }
    Declaration.Secret secret = new Declaration.Secret(name.value(), source);
    spans.put(secret, name);
    return secret;
  }

  private Prompt prompt() {
    Token t = peek();
    Prompt prompt;
    if (t.kind() == Kind.TEXT || t.kind() == Kind.STRING) {
      prompt = new Prompt.Inline(t.value());
    } else if (t.kind() == Kind.IDENT) {
      prompt = new Prompt.Reference(name(t));
    } else {
      throw unexpected("a prompt: a `\"\"\"` text block, a string or a template name", List.of());
    }
    advance();
    spans.put(prompt, t);
    return prompt;
  }

  /** Parses {@code { step* }} at a nesting depth, from 1. */
  private List<Step> block(int depth, String owner) {
    Token open = expect(Kind.LBRACE, "`{` to open " + owner);
    if (depth > MAX_DEPTH) {
      reporter.error(
          open,
          "blocks are nested more than " + MAX_DEPTH + " deep",
          "move the inner steps into a flow or agent of their own");
      skipBalanced();
      throw new Bail();
    }
    List<Step> steps = new ArrayList<>();
    while (!closeOrEnd(open, owner)) {
      int start = index;
      try {
        steps.add(step(depth));
      } catch (Bail bail) {
        recover(start);
      }
    }
    return steps;
  }

  private Step step(int depth) {
    Token keyword = peek();
    Step step;
    Token where = keyword;
    switch (keyword.kind() == Kind.IDENT ? keyword.value() : "") {
      case "ask" -> {
        advance();
        where = expect(Kind.STRING, "the model's name as a string");
        step = new Step.Ask(where.value(), prompt());
      }
      case "tool" -> {
        advance();
        where = name("a tool name");
        step = new Step.CallTool(name(where));
      }
      case "call" -> {
        advance();
        where = name("a function name");
        step = new Step.CallFunction(name(where));
      }
      case "agent" -> {
        advance();
        where = name("an agent name");
        step = new Step.CallAgent(name(where));
      }
      case "if" -> {
        advance();
        where = name("a predicate name");
        Name predicate = name(where);
        List<Step> then = block(depth + 1, "the `if` branch");
        List<Step> otherwise = List.of();
        if (peek().is("else")) {
          advance();
          otherwise = block(depth + 1, "the `else` branch");
        }
        step = new Step.If(predicate, then, otherwise);
      }
      case "classify" ->
          step = classify(depth, where = expectAfter(Kind.STRING, "the model's name as a string"));
      case "repeat" -> step = repeat(depth);
      case "parallel" -> step = parallel(depth);
      case "each" -> {
        advance();
        step = new Step.Each(block(depth + 1, "`each`"));
      }
      default -> throw unexpected("a step", STEPS);
    }
    spans.put(step, where);
    return step;
  }

  private Token expectAfter(Kind kind, String what) {
    advance();
    return expect(kind, what);
  }

  private Step classify(int depth, Token model) {
    Token open = expect(Kind.LBRACE, "`{` and the labels, as `when label { ... }`");
    List<Step.Case> cases = new ArrayList<>();
    List<Step> otherwise = List.of();
    while (!closeOrEnd(open, "`classify`")) {
      int start = index;
      try {
        Token keyword = peek();
        if (keyword.is("when")) {
          advance();
          Token label = name("a label");
          Step.Case c =
              new Step.Case(label.value(), block(depth + 1, "the case `" + label.value() + "`"));
          spans.put(c, label);
          cases.add(c);
        } else if (keyword.is("else")) {
          advance();
          otherwise = block(depth + 1, "the `else` case");
        } else {
          throw unexpected("a case", List.of("else", "when"));
        }
      } catch (Bail bail) {
        recover(start);
      }
    }
    if (cases.isEmpty()) {
      reporter.error(model, "`classify` has no labels", "add at least one `when label { ... }`");
    }
    return new Step.Classify(model.value(), cases, otherwise);
  }

  private Step repeat(int depth) {
    Token keyword = advance();
    int max = 0;
    if (peek().is("max")) {
      advance();
      Token bound = expect(Kind.NUMBER, "the most iterations, a whole number");
      max = integer(bound, "a loop's maximum", 1, ValueRanges.MAX_ITERATIONS);
      if (max < 1) {
        reporter.error(bound, "a loop's maximum must be at least 1, was " + max);
      } else if (max > ValueRanges.MAX_ITERATIONS) {
        reporter.error(
            bound,
            "a loop's maximum must be at most " + ValueRanges.MAX_ITERATIONS + ", was " + max);
      }
    } else {
      reporter.error(
          keyword, "this loop has no maximum", "write `repeat max N until condition { ... }`");
    }
    if (!peek().is("until")) {
      throw unexpected("`until` and a predicate name", List.of());
    }
    advance();
    Name until = name(name("a predicate name"));
    return new Step.Repeat(max, until, block(depth + 1, "the loop"));
  }

  private Step parallel(int depth) {
    advance();
    Token open = expect(Kind.LBRACE, "`{` and the branches, as `branch { ... }`");
    List<List<Step>> branches = new ArrayList<>();
    while (!closeOrEnd(open, "`parallel`")) {
      int start = index;
      try {
        if (!peek().is("branch")) {
          throw unexpected("a branch", List.of("branch"));
        }
        advance();
        branches.add(block(depth + 1, "the branch"));
      } catch (Bail bail) {
        recover(start);
      }
    }
    if (!peek().is("join")) {
      throw unexpected(
          "`join` and the name of the function that joins the branches' outputs", List.of());
    }
    advance();
    Name join = name(name("a function name"));
    if (branches.isEmpty()) {
      reporter.error(open, "`parallel` has no branches", "add at least one `branch { ... }`");
    }
    return new Step.Parallel(branches, join);
  }

  // ---- tokens and recovery ----

  /** Returns true at the block's `}` (consumed) or at the end of the file (reported). */
  private boolean closeOrEnd(Token open, String owner) {
    Token t = peek();
    if (t.kind() == Kind.RBRACE) {
      advance();
      return true;
    }
    if (t.kind() == Kind.EOF || reporter.full()) {
      if (!reporter.full()) {
        reporter.error(
            open,
            "`{` of " + owner + " is never closed",
            "expected `}` before the end of the file");
      }
      return true;
    }
    return false;
  }

  private List<Token> names(String what) {
    List<Token> names = new ArrayList<>();
    do {
      names.add(name(what));
    } while (accept(Kind.COMMA));
    return names;
  }

  private Name name(Token token) {
    Name name = new Name(token.value());
    spans.put(name, token);
    return name;
  }

  private Token name(String what) {
    return expect(Kind.IDENT, what);
  }

  /**
   * Reads a whole number; one beyond an {@code int} is reported with the setting's range (the range
   * itself is checked where the setting is).
   */
  private int integer(Token token, String what, int min, int max) {
    String digits = token.value().startsWith("-") ? token.value().substring(1) : token.value();
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      reporter.error(token, "expected a whole number, found " + token.describe());
      throw new Bail();
    }
    // Eighteen digits always fit a long: no arithmetic on a number a file makes huge.
    long value = digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    if (value > Integer.MAX_VALUE) {
      reporter.error(
          token, what + " must be between " + min + " and " + max + ", was " + token.describe());
      throw new Bail();
    }
    return token.value().startsWith("-") ? (int) -value : (int) value;
  }

  /**
   * Reads a duration in whole units; one too long for {@link Duration} is reported here, the ranges
   * of the settings where they are checked.
   */
  private Duration duration(Token token) {
    String text = token.value();
    int unitStart = text.length();
    while (Character.isLetter(text.charAt(unitStart - 1))) {
      unitStart--;
    }
    String amount = text.substring(0, unitStart);
    String digits = amount.startsWith("-") ? amount.substring(1) : amount;
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      reporter.error(
          token,
          "expected a duration in whole units, such as `10s` or `500ms`, found "
              + token.describe());
      throw new Bail();
    }
    long perUnit =
        switch (text.substring(unitStart)) {
          case "ms" -> 1L;
          case "s" -> 1_000L;
          case "m" -> 60_000L;
          default -> 3_600_000L;
        };
    // Forty digits are already far beyond any Duration: do not multiply what a file makes huge.
    if (digits.length() <= 40) {
      BigInteger millis = new BigInteger(amount).multiply(BigInteger.valueOf(perUnit));
      BigInteger thousand = BigInteger.valueOf(1000);
      // Floor division, so that the milliseconds left are 0..999 and Duration cannot overflow.
      BigInteger seconds = millis.subtract(millis.mod(thousand)).divide(thousand);
      if (seconds.bitLength() < 64) {
        return Duration.ofSeconds(
            seconds.longValue(), millis.mod(thousand).longValue() * 1_000_000L);
      }
    }
    reporter.error(
        token,
        "the duration " + token.describe() + " is too long",
        "a duration setting takes at most " + ValueRanges.LONGEST_TEXT);
    throw new Bail();
  }

  private Token expect(Kind kind, String what) {
    if (peek().kind() == kind) {
      return advance();
    }
    throw unexpected(what, List.of());
  }

  private boolean accept(Kind kind) {
    if (peek().kind() == kind) {
      advance();
      return true;
    }
    return false;
  }

  /** Reports "expected X, found Y" (with the nearest keyword for a misspelt one) and bails. */
  private Bail unexpected(String what, List<String> keywords) {
    Token found = peek();
    List<String> notes = new ArrayList<>();
    if (!keywords.isEmpty()) {
      notes.add("expected one of: " + String.join(", ", keywords));
      if (found.kind() == Kind.IDENT && !found.hidden()) {
        Suggestions.nearest(found.value(), keywords)
            .ifPresent(k -> notes.add("did you mean `" + k + "`?"));
      }
    }
    if (found.hidden()) {
      notes.add(SecretSpans.HIDDEN_NOTE);
    }
    reporter.error(
        found.start(),
        found.end() - found.start(),
        "expected " + what + ", found " + found.describe(),
        notes);
    return new Bail();
  }

  /** Skips what follows an error: up to the next line's first token or the block's `}`. */
  private void recover(int constructStart) {
    int depth = 0;
    while (peek().kind() != Kind.EOF) {
      Token t = peek();
      if (depth == 0 && t.kind() == Kind.RBRACE) {
        return;
      }
      if (depth == 0 && t.firstOnLine() && index > constructStart) {
        return;
      }
      depth += t.kind() == Kind.LBRACE ? 1 : t.kind() == Kind.RBRACE ? -1 : 0;
      advance();
    }
  }

  /** Skips to the next declaration keyword that starts a line outside any braces. */
  private void recoverTopLevel(int constructStart) {
    int depth = 0;
    while (peek().kind() != Kind.EOF) {
      Token t = peek();
      if (depth <= 0
          && t.firstOnLine()
          && index > constructStart
          && t.kind() == Kind.IDENT
          && DECLARATIONS.contains(t.value())) {
        return;
      }
      depth += t.kind() == Kind.LBRACE ? 1 : t.kind() == Kind.RBRACE ? -1 : 0;
      depth = Math.max(depth, 0);
      advance();
    }
  }

  /**
   * Masks what a failed {@code secret} declaration consumed beyond the span the lexer masked
   * (braces can carry recovery past it): whatever the parser took as part of it never shows.
   */
  private void maskConsumed(int start) {
    for (int i = start; i < index; i++) {
      Token t = tokens.get(i);
      if (t.shown() == Token.Shown.PLAIN) {
        reporter.source().mask(t.start(), t.end(), "***");
      }
    }
  }

  /** Skips a balanced brace group whose `{` was just consumed, without recursion. */
  private void skipBalanced() {
    int depth = 1;
    while (depth > 0 && peek().kind() != Kind.EOF) {
      Kind kind = advance().kind();
      depth += kind == Kind.LBRACE ? 1 : kind == Kind.RBRACE ? -1 : 0;
    }
  }

  private Token peek() {
    return tokens.get(index);
  }

  private Token advance() {
    Token t = tokens.get(index);
    if (t.kind() != Kind.EOF) {
      index++;
    }
    return t;
  }
}
