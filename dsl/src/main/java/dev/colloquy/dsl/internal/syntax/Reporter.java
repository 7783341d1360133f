package dev.colloquy.dsl.internal.syntax;

import dev.colloquy.dsl.Diagnostic;
import dev.colloquy.dsl.DslException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the errors of one file, rendering them only at the end (so every secret span is known by
 * then), and stops listing after {@link DslException#MAX_REPORTED} so that bad input has a bounded
 * cost.
 */
public final class Reporter {
  private record Pending(int offset, int length, String message, List<String> notes) {}

  private final SourceText source;
  private final List<Pending> pending = new ArrayList<>();
  private final List<Diagnostic> fileLevel = new ArrayList<>();

  /** Makes a reporter for a file. */
  public Reporter(SourceText source) {
    this.source = source;
  }

  /** Returns the file. */
  public SourceText source() {
    return source;
  }

  /** Records an error at a span. */
  public void error(int offset, int length, String message, List<String> notes) {
    if (!full()) {
      pending.add(new Pending(offset, length, message, notes));
    }
  }

  /** Records an error at a span. */
  public void error(int offset, int length, String message, String... notes) {
    error(offset, length, message, List.of(notes));
  }

  /** Records an error at a token. */
  public void error(Token at, String message, String... notes) {
    error(at.start(), at.end() - at.start(), message, List.of(notes));
  }

  /** Records an error about the whole file (no position, no source line). */
  public void fileError(String message, String note) {
    fileLevel.add(source.fileDiagnostic(message, List.of(note)));
  }

  /** Returns whether the list is full: callers may stop looking for more errors. */
  public boolean full() {
    return pending.size() + fileLevel.size() >= DslException.MAX_REPORTED;
  }

  /** Returns whether any error was recorded. */
  public boolean hasErrors() {
    return !pending.isEmpty() || !fileLevel.isEmpty();
  }

  /** Renders the errors, in position order. */
  public List<Diagnostic> diagnostics() {
    List<Diagnostic> out = new ArrayList<>(fileLevel);
    pending.stream()
        .sorted((a, b) -> Integer.compare(a.offset(), b.offset()))
        .forEach(p -> out.add(source.diagnostic(p.offset(), p.length(), p.message(), p.notes())));
    return out;
  }
}
