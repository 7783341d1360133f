package dev.colloquy.core.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt with {@code {{variable}}} placeholders.
 *
 * <p>Syntax: {@code {{name}}} (spaces inside the braces allowed), where a name is a letter or
 * {@code _} followed by letters, digits, {@code _} or {@code .}. Anything else between braces is
 * plain text, so JSON such as {@code {"a": [1, 2]}} or {@code {{"a": 1}}} renders untouched. A
 * backslash before the braces, {@code \{{name}}}, writes a literal {@code {{name}}}.
 *
 * <p>Values are inserted as plain text once: a value holding {@code {{other}}} is not rendered
 * again, and since a template renders to the text of one message, a value can never add a message
 * or a role.
 *
 * <p>We do not use Mustache or similar engines: they treat every <code>{{</code> as a tag (so JSON
 * and code in prompts break or need escaping), HTML-escape values by default, and cannot tell which
 * variables a template needs before it is rendered; the grammar here is one regular expression.
 *
 * <p>Immutable and thread-safe.
 */
public final class PromptTemplate {

  private static final Pattern PLACEHOLDER =
      Pattern.compile("(\\\\?)\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*}}");

  private final String name;
  private final String source;
  // Alternating literal text and variable names: text, var, text, var, ..., text.
  private final List<String> parts;
  private final Set<String> variables;

  private PromptTemplate(String name, String source) {
    this.name = name;
    this.source = source;
    List<String> parsed = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(source);
    StringBuilder literal = new StringBuilder();
    int last = 0;
    while (m.find()) {
      literal.append(source, last, m.start());
      if (!m.group(1).isEmpty()) {
        literal.append(m.group().substring(1));
      } else {
        parsed.add(literal.toString());
        literal.setLength(0);
        parsed.add(m.group(2));
        names.add(m.group(2));
      }
      last = m.end();
    }
    literal.append(source, last, source.length());
    parsed.add(literal.toString());
    this.parts = List.copyOf(parsed);
    this.variables = Collections.unmodifiableSet(names);
  }

  /**
   * Parses a template.
   *
   * @param source the template text
   * @return the template, named {@code "template"} in error messages
   */
  public static PromptTemplate of(String source) {
    return of("template", source);
  }

  /**
   * Parses a named template.
   *
   * @param name how error messages refer to the template (a file name, say)
   * @param source the template text
   */
  public static PromptTemplate of(String name, String source) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    return new PromptTemplate(name, source);
  }

  /**
   * Parses a template and checks that it uses exactly the declared variables.
   *
   * @param name how error messages refer to the template
   * @param source the template text
   * @param declared the variables the template must use, and the only ones it may use
   * @throws TemplateException naming every undeclared and every unused variable
   */
  public static PromptTemplate declared(String name, String source, Set<String> declared) {
    PromptTemplate template = of(name, source);
    Set<String> undeclared = new TreeSet<>(template.variables);
    undeclared.removeAll(declared);
    Set<String> unused = new TreeSet<>(declared);
    unused.removeAll(template.variables);
    List<String> problems = new ArrayList<>();
    for (String variable : undeclared) {
      problems.add(
          name
              + ":"
              + template.position(variable)
              + ": variable '"
              + variable
              + "' is not declared");
    }
    for (String variable : unused) {
      problems.add(name + ": declared variable '" + variable + "' is never used");
    }
    if (!problems.isEmpty()) {
      throw new TemplateException(String.join("\n", problems));
    }
    return template;
  }

  /**
   * Loads a template from the class path (UTF-8).
   *
   * @param resource the resource path, as for {@link ClassLoader#getResource}
   * @throws TemplateException when the resource does not exist
   */
  public static PromptTemplate fromResource(String resource) {
    Objects.requireNonNull(resource, "resource");
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = PromptTemplate.class.getClassLoader();
    }
    String path = resource.startsWith("/") ? resource.substring(1) : resource;
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new TemplateException(
            "prompt template resource '" + resource + "' was not found on the class path");
      }
      return of(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not read prompt template resource '" + resource + "'", e);
    }
  }

  /** Returns the name used in error messages. */
  public String name() {
    return name;
  }

  /** Returns the template text as given. */
  public String source() {
    return source;
  }

  /** Returns the variables the template uses, in order of first use. */
  public Set<String> variables() {
    return variables;
  }

  /**
   * Checks that every variable of the template is among the names given.
   *
   * @param available the variable names that will have values
   * @throws TemplateException naming each missing variable and where it is used
   */
  public void validate(Set<String> available) {
    List<String> missing = new ArrayList<>();
    for (String variable : variables) {
      if (!available.contains(variable)) {
        missing.add(variable);
      }
    }
    if (!missing.isEmpty()) {
      throw missingError(missing);
    }
  }

  /**
   * Renders the template.
   *
   * @param values a value for every variable; values are converted with {@code String.valueOf}
   * @throws TemplateException naming each variable without a value
   */
  public String render(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    validate(values.keySet());
    StringBuilder out = new StringBuilder(source.length() + 64);
    for (int i = 0; i < parts.size(); i++) {
      if (i % 2 == 0) {
        out.append(parts.get(i));
      } else {
        Object value = values.get(parts.get(i));
        if (value == null) {
          throw new TemplateException(name + ": variable '" + parts.get(i) + "' has a null value");
        }
        out.append(value);
      }
    }
    return out.toString();
  }

  private TemplateException missingError(List<String> missing) {
    StringBuilder message = new StringBuilder();
    for (String variable : missing) {
      if (message.length() > 0) {
        message.append('\n');
      }
      message
          .append(name)
          .append(':')
          .append(position(variable))
          .append(": no value for variable '")
          .append(variable)
          .append('\'');
    }
    return new TemplateException(message.toString());
  }

  // "line:column" of the first use of a variable, both counted from 1.
  private String position(String variable) {
    Matcher m = PLACEHOLDER.matcher(source);
    while (m.find()) {
      if (m.group(1).isEmpty() && m.group(2).equals(variable)) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < m.start(); i++) {
          if (source.charAt(i) == '\n') {
            line++;
            lineStart = i + 1;
          }
        }
        return line + ":" + (m.start() - lineStart + 1);
      }
    }
    return "?";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromptTemplate other && source.equals(other.source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return "PromptTemplate[" + name + ", variables=" + variables + "]";
  }
}
