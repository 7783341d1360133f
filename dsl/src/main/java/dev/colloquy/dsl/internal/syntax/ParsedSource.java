package dev.colloquy.dsl.internal.syntax;

import dev.colloquy.dsl.ast.DefinitionFile;

/**
 * One file after lexing and parsing: its text, its tree, where each node came from, and the
 * reporter that later stages add their errors of this file to.
 *
 * @param source the text
 * @param reporter the file's errors so far
 * @param file the tree (meaningful only when the reporter has no errors)
 * @param spans where each node came from
 */
public record ParsedSource(SourceText source, Reporter reporter, DefinitionFile file, SourceMap spans) {

  /** Lexes and parses a file's text, collecting every error in its reporter. */
  public static ParsedSource parse(String name, String text) {
    SourceText source = new SourceText(name, text);
    Reporter reporter = new Reporter(source);
    Parser.Result result = Parser.parse(Lexer.tokenize(reporter), reporter);
    return new ParsedSource(source, reporter, result.file(), result.spans());
  }

  /** Returns a parse that failed before lexing (unreadable bytes, too large): only the error. */
  public static ParsedSource failed(String name, int line, int column, String shownLine, String message,
      String note) {
    SourceText source = new SourceText(name, "");
    Reporter reporter = new Reporter(source);
    reporter.fileError(line, column, shownLine, message, note);
    return new ParsedSource(source, reporter, new DefinitionFile(name, java.util.List.of()), new SourceMap());
  }
}
