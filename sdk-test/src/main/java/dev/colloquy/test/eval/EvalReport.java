package dev.colloquy.test.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.test.internal.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of an {@link Evaluation}: each case's reply and check results, the pass rate, and the
 * same as Markdown (for people) and JSON (for dashboards).
 *
 * @param title the evaluation's title
 * @param cases the results, in the order the cases ran
 */
public record EvalReport(String title, List<CaseResult> cases) {

  /** Copies the list. */
  public EvalReport {
    Objects.requireNonNull(title, "title");
    cases = List.copyOf(Objects.requireNonNull(cases, "cases"));
  }

  /** Returns how many cases passed every check. */
  public int passedCount() {
    return (int) cases.stream().filter(CaseResult::passed).count();
  }

  /** Returns the share of cases that passed, from 0 to 1; 1 when there are no cases. */
  public double passRate() {
    return cases.isEmpty() ? 1.0 : (double) passedCount() / cases.size();
  }

  /**
   * Fails when the pass rate is below the threshold.
   *
   * @throws AssertionError with the Markdown report
   */
  public void assertPassRateAtLeast(double threshold) {
    if (passRate() < threshold) {
      throw new AssertionError(
          String.format(
              Locale.ROOT,
              "pass rate %.1f%% is below the required %.1f%%%n%s",
              passRate() * 100,
              threshold * 100,
              toMarkdown()));
    }
  }

  /** Returns the report as a Markdown page: a summary line and one table row per case. */
  public String toMarkdown() {
    StringBuilder s = new StringBuilder("# Evaluation: ").append(title).append("\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "Pass rate: %.1f%% (%d of %d cases)%n%n",
            passRate() * 100,
            passedCount(),
            cases.size()));
    s.append("| Case | Result | Failed checks |\n|---|---|---|\n");
    for (CaseResult c : cases) {
      StringBuilder failed = new StringBuilder();
      for (CheckResult check : c.checks()) {
        if (!check.passed()) {
          failed
              .append(failed.length() == 0 ? "" : "<br>")
              .append(check.check())
              .append(": ")
              .append(check.detail());
        }
      }
      s.append("| ")
          .append(cell(c.name()))
          .append(" | ")
          .append(c.passed() ? "PASS" : "FAIL")
          .append(" | ")
          .append(cell(failed.toString()))
          .append(" |\n");
    }
    return s.toString();
  }

  /** Returns the report as pretty-printed JSON. */
  public String toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("title", title)
        .put("passRate", passRate())
        .put("passed", passedCount())
        .put("total", cases.size());
    ArrayNode array = root.putArray("cases");
    for (CaseResult c : cases) {
      ObjectNode node =
          array
              .addObject()
              .put("name", c.name())
              .put("input", c.input())
              .put("reply", c.reply())
              .put("passed", c.passed());
      ArrayNode checks = node.putArray("checks");
      for (CheckResult check : c.checks()) {
        ObjectNode checkNode =
            checks.addObject().put("check", check.check()).put("passed", check.passed());
        if (!check.passed()) {
          checkNode.put("detail", check.detail());
        }
      }
    }
    try {
      return Json.MAPPER.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code evaluation.md} and {@code evaluation.json} into the folder, creating it.
   *
   * @return the Markdown file's path
   */
  public Path writeTo(Path folder) {
    try {
      Files.createDirectories(folder);
      Files.writeString(folder.resolve("evaluation.json"), toJson());
      return Files.writeString(folder.resolve("evaluation.md"), toMarkdown());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the evaluation report to " + folder + ": " + e.getMessage(), e);
    }
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  /**
   * One case's outcome.
   *
   * @param name the case's name
   * @param input what the user said
   * @param reply the reply's text; empty when the turn failed
   * @param checks the result of each check
   */
  public record CaseResult(String name, String input, String reply, List<CheckResult> checks) {
    /** Copies the list. */
    public CaseResult {
      checks = List.copyOf(checks);
    }

    /** Returns whether every check passed. */
    public boolean passed() {
      return checks.stream().allMatch(CheckResult::passed);
    }
  }

  /**
   * One check's outcome.
   *
   * @param check the check's name
   * @param passed whether it passed
   * @param detail why it failed; empty when it passed
   */
  public record CheckResult(String check, boolean passed, String detail) {}
}
