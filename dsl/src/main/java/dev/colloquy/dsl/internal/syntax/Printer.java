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
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the canonical form of a definition: two-space indentation, one setting or step per line,
 * one blank line between declarations, no comments. Parsing the output gives an equal tree, except
 * that an inline secret's value is written as {@link SecretSource.Inline#PLACEHOLDER}.
 *
 * <p>Text of one line goes into a string; text of several lines into a {@code """} block when the
 * block can carry it exactly (no {@code """} inside, no {@code \r}, no line of only spaces),
 * otherwise into an escaped string.
 */
public final class Printer {
  // The units a duration is written in, largest first.
  private static final List<Unit> UNITS =
      List.of(new Unit("h", 3_600_000), new Unit("m", 60_000), new Unit("s", 1000));

  private final StringBuilder out = new StringBuilder();

  private record Unit(String name, long millis) {}

  private Printer() {}

  /** Returns the canonical text of a file. */
  public static String print(DefinitionFile file) {
    Printer printer = new Printer();
    boolean first = true;
    for (Declaration declaration : file.declarations()) {
      if (!first) {
        printer.out.append('\n');
      }
      first = false;
      printer.declaration(declaration);
    }
    return printer.out.toString();
  }

  private void declaration(Declaration declaration) {
    if (declaration instanceof Declaration.Template t) {
      out.append("template ")
          .append(t.name())
          .append('(')
          .append(String.join(", ", t.variables()))
          .append(") ");
      text(t.text(), 0);
      out.append('\n');
    } else if (declaration instanceof Declaration.Agent a) {
      out.append("agent ").append(a.name()).append(" {\n");
      for (AgentSetting s : a.settings()) {
        indent(1);
        setting(s);
        out.append('\n');
      }
      out.append("}\n");
    } else if (declaration instanceof Declaration.Flow f) {
      out.append("flow ").append(f.name()).append(' ');
      block(f.steps(), 0);
      out.append('\n');
    } else if (declaration instanceof Declaration.Secret s) {
      out.append("secret ").append(s.name()).append(" = ");
      if (s.source() instanceof SecretSource.Environment e) {
        out.append("env ").append(quote(e.variable()));
      } else if (s.source() instanceof SecretSource.Inline) {
        // The canonical form is for reading and logging: an inline value never shows.
        out.append(quote(SecretSource.Inline.PLACEHOLDER));
      }
      out.append('\n');
    } else if (declaration instanceof Declaration.McpServer m) {
      out.append("mcp ").append(m.name()).append(" {\n");
      for (McpSetting s : m.settings()) {
        indent(1);
        mcpSetting(s);
        out.append('\n');
      }
      out.append("}\n");
    }
  }

  private void mcpSetting(McpSetting setting) {
    if (setting instanceof McpSetting.Command c) {
      out.append("command ")
          .append(c.words().stream().map(Printer::quote).collect(Collectors.joining(" ")));
    } else if (setting instanceof McpSetting.Url u) {
      out.append("url ").append(quote(u.url()));
    } else if (setting instanceof McpSetting.Environment e) {
      out.append("env ").append(e.variable()).append(" = ").append(e.secret().value());
    } else if (setting instanceof McpSetting.Header h) {
      out.append("header ").append(quote(h.header())).append(" = ").append(h.secret().value());
    } else if (setting instanceof McpSetting.Tools t) {
      out.append("tools ")
          .append(t.names().stream().map(Printer::quote).collect(Collectors.joining(", ")));
    }
  }

  private void setting(AgentSetting setting) {
    if (setting instanceof AgentSetting.Model m) {
      out.append("model ").append(quote(m.model()));
    } else if (setting instanceof AgentSetting.SystemPrompt s) {
      out.append("system ");
      prompt(s.prompt(), 1);
    } else if (setting instanceof AgentSetting.Variable v) {
      out.append("var ").append(v.name()).append(" = ").append(quote(v.value()));
    } else if (setting instanceof AgentSetting.Expect e) {
      out.append("expect ").append(String.join(", ", e.names()));
    } else if (setting instanceof AgentSetting.Memory m) {
      out.append("memory");
      if (m.window() != 0) {
        out.append(" window ").append(m.window());
      }
      if (m.tokens() != 0) {
        out.append(" tokens ").append(m.tokens());
      }
      m.summarizeWith().ifPresent(model -> out.append(" summarize ").append(quote(model)));
    } else if (setting instanceof AgentSetting.Tools t) {
      out.append("tools ").append(names(t.tools()));
    } else if (setting instanceof AgentSetting.Options o) {
      out.append("options ").append(entries(o.entries()));
    } else if (setting instanceof AgentSetting.Budget b) {
      out.append("budget ").append(entries(b.entries()));
    } else if (setting instanceof AgentSetting.Guardrail g) {
      out.append("guard ")
          .append(g.stage() == AgentSetting.Guardrail.Stage.INPUT ? "input " : "output ")
          .append(g.guard().value());
    } else if (setting instanceof AgentSetting.Refusal r) {
      out.append("refusal ").append(quote(r.text()));
    }
  }

  private void step(Step step, int level) {
    indent(level);
    if (step instanceof Step.Ask a) {
      out.append("ask ").append(quote(a.model())).append(' ');
      prompt(a.prompt(), level);
    } else if (step instanceof Step.CallTool t) {
      out.append("tool ").append(t.tool().value());
    } else if (step instanceof Step.CallFunction f) {
      out.append("call ").append(f.function().value());
    } else if (step instanceof Step.CallAgent a) {
      out.append("agent ").append(a.agent().value());
    } else if (step instanceof Step.If i) {
      out.append("if ").append(i.predicate().value()).append(' ');
      block(i.then(), level);
      if (!i.otherwise().isEmpty()) {
        out.append(" else ");
        block(i.otherwise(), level);
      }
    } else if (step instanceof Step.Classify c) {
      out.append("classify ").append(quote(c.model())).append(" {\n");
      for (Step.Case each : c.cases()) {
        indent(level + 1);
        out.append("when ").append(each.label()).append(' ');
        block(each.steps(), level + 1);
        out.append('\n');
      }
      if (!c.otherwise().isEmpty()) {
        indent(level + 1);
        out.append("else ");
        block(c.otherwise(), level + 1);
        out.append('\n');
      }
      indent(level);
      out.append('}');
    } else if (step instanceof Step.Repeat r) {
      out.append("repeat max ")
          .append(r.max())
          .append(" until ")
          .append(r.until().value())
          .append(' ');
      block(r.body(), level);
    } else if (step instanceof Step.Parallel p) {
      out.append("parallel {\n");
      for (List<Step> branch : p.branches()) {
        indent(level + 1);
        out.append("branch ");
        block(branch, level + 1);
        out.append('\n');
      }
      indent(level);
      out.append("} join ").append(p.join().value());
    } else if (step instanceof Step.Each e) {
      out.append("each ");
      block(e.body(), level);
    }
    out.append('\n');
  }

  /** Writes {@code { steps }} whose opening brace ends the current line. */
  private void block(List<Step> steps, int level) {
    if (steps.isEmpty()) {
      out.append("{}");
      return;
    }
    out.append("{\n");
    for (Step s : steps) {
      step(s, level + 1);
    }
    indent(level);
    out.append('}');
  }

  private void prompt(Prompt prompt, int level) {
    if (prompt instanceof Prompt.Inline i) {
      text(i.text(), level);
    } else if (prompt instanceof Prompt.Reference r) {
      out.append(r.template().value());
    }
  }

  /** Writes text as a block at one level deeper than {@code level}, or as a string. */
  private void text(String text, int level) {
    if (text.indexOf('\n') < 0 || !fitsTextBlock(text)) {
      out.append(quote(text));
      return;
    }
    String pad = "  ".repeat(level + 1);
    out.append("\"\"\"\n");
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty()) {
        out.append(pad).append(line);
      }
      out.append('\n');
    }
    out.append(pad).append("\"\"\"");
  }

  static boolean fitsTextBlock(String text) {
    if (text.isEmpty()
        || text.contains("\"\"\"")
        || text.indexOf('\r') >= 0
        || text.endsWith("\"")) {
      return false;
    }
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty() && line.isBlank()) {
        return false;
      }
    }
    return true;
  }

  private static String names(List<Name> names) {
    return names.stream().map(Name::value).collect(Collectors.joining(", "));
  }

  private static String entries(List<AgentSetting.Entry> entries) {
    return entries.stream()
        .map(e -> e.key() + " " + literal(e.value()))
        .collect(Collectors.joining(", "));
  }

  private static String literal(Literal literal) {
    if (literal instanceof Literal.Number n) {
      return n.value().toPlainString();
    } else if (literal instanceof Literal.Text t) {
      return quote(t.value());
    } else if (literal instanceof Literal.Time t) {
      return duration(t.value());
    }
    throw new IllegalStateException("unknown node " + literal);
  }

  /**
   * Writes a duration in its largest whole unit; any {@link Duration} of whole milliseconds fits.
   */
  private static String duration(Duration d) {
    // BigInteger: a tree can hold durations whose milliseconds overflow a long.
    BigInteger ms =
        BigInteger.valueOf(d.getSeconds())
            .multiply(BigInteger.valueOf(1000))
            .add(BigInteger.valueOf(d.getNano() / 1_000_000));
    if (ms.signum() == 0) {
      return "0s";
    }
    for (Unit unit : UNITS) {
      BigInteger[] split = ms.divideAndRemainder(BigInteger.valueOf(unit.millis()));
      if (split[1].signum() == 0) {
        return split[0] + unit.name();
      }
    }
    return ms + "ms";
  }

  /** Writes a one-line string with escapes. */
  public static String quote(String value) {
    StringBuilder q = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\t' -> q.append("\\t");
        case '\r' -> q.append("\\r");
        default -> q.append(c);
      }
    }
    return q.append('"').toString();
  }

  private void indent(int level) {
    out.append("  ".repeat(level));
  }
}
