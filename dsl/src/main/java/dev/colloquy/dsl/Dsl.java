package dev.colloquy.dsl;

import dev.colloquy.dsl.ast.DefinitionFile;
import dev.colloquy.dsl.internal.syntax.ParsedSource;
import dev.colloquy.dsl.internal.syntax.Printer;
import dev.colloquy.dsl.internal.syntax.SourceReader;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The definition language's syntax: parse a file to its tree, print a tree in canonical form.
 * Parsing what {@link #print} returns gives an equal tree, except that inline secret values are
 * printed as {@code "***"}. To compile files to agents, see {@link Definitions}.
 */
public final class Dsl {
  private Dsl() {}

  /**
   * Parses one file's text.
   *
   * @param name the file's name in error messages
   * @param text the text
   * @throws DslException listing every syntax error
   */
  public static DefinitionFile parse(String name, String text) {
    return unwrap(
        ParsedSource.parse(
            Objects.requireNonNull(name, "name"), Objects.requireNonNull(text, "text")));
  }

  /**
   * Reads and parses a file: strict UTF-8, at most 4 MiB.
   *
   * @param file the file; its name in messages is its file name
   * @throws DslException when the file cannot be read, is too large, is not UTF-8, or has errors
   */
  public static DefinitionFile read(Path file) {
    return unwrap(
        SourceReader.read(file, file.getFileName().toString(), SourceReader.DEFAULT_MAX_BYTES));
  }

  /**
   * Parses bytes as one file: strict UTF-8, at most {@code maxBytes}.
   *
   * @param name the file's name in error messages
   * @param bytes the content
   * @param maxBytes the largest size accepted
   * @throws DslException when the bytes are too many, not UTF-8, or have errors
   */
  public static DefinitionFile parse(String name, byte[] bytes, int maxBytes) {
    return unwrap(SourceReader.decode(bytes, name, maxBytes));
  }

  /**
   * Returns the canonical text of a file: two-space indentation, no comments. An inline secret's
   * value is written as {@code "***"}, which fails to load, so the text can be logged or shown and
   * a file rewritten from it never runs with a lost secret.
   */
  public static String print(DefinitionFile file) {
    return Printer.print(file);
  }

  private static DefinitionFile unwrap(ParsedSource parsed) {
    if (parsed.reporter().hasErrors()) {
      throw new DslException(parsed.reporter().diagnostics());
    }
    return parsed.file();
  }
}
