package dev.colloquy.dsl.internal.syntax;

import dev.colloquy.dsl.ast.DefinitionFile;
import java.util.List;

/**
 * One file after lexing and parsing: its text, its tree, where each node came from, and the
 * reporter that later stages add their errors of this file to.
 *
 * @param source the text
 * @param reporter the file's errors so far
 * @param file the tree (meaningful only when the reporter has no errors)
 * @param spans where each node came from
 */
public record ParsedSource(
    SourceText source, Reporter reporter, DefinitionFile file, SourceMap spans) {

  /** Lexes and parses a file's text, collecting every error in its reporter. */
  public static ParsedSource parse(String name, String text) {
    SourceText source = new SourceText(name, text);
    Reporter reporter = new Reporter(source);
    Parser.Result result = Parser.parse(Lexer.tokenize(reporter), reporter);
    return new ParsedSource(source, reporter, result.file(), result.spans());
  }

  /**
   * Returns a parse that failed before lexing (unreadable, too large): only the error, about the
   * whole file.
   */
  public static ParsedSource failed(String name, String message, String note) {
    SourceText source = new SourceText(name, "");
    Reporter reporter = new Reporter(source);
    reporter.fileError(message, note);
    return failedWith(source, reporter);
  }

  /**
   * Returns a parse that failed at the end of {@code readable}, the text that could be decoded (the
   * next bytes are not UTF-8): the error points there, and the source line is rendered like any
   * other, so a secret before the bad bytes is masked as usual.
   */
  public static ParsedSource failedAfter(
      String name, String readable, String message, String note) {
    SourceText source = new SourceText(name, readable);
    // Lexing only masks the secrets of the readable text; its own errors are not the point.
    Lexer.tokenize(new Reporter(source));
    Reporter reporter = new Reporter(source);
    reporter.error(readable.length(), 1, message, note);
    return failedWith(source, reporter);
  }

  private static ParsedSource failedWith(SourceText source, Reporter reporter) {
    return new ParsedSource(
        source, reporter, new DefinitionFile(source.name(), List.of()), new SourceMap());
  }
}
