package dev.colloquy.test.eval;

import dev.colloquy.core.ColloquyException;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.test.script.ConversationTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs cases against an agent and scores each reply with its checks:
 *
 * <pre>{@code
 * EvalReport report = Evaluation.named("support agent").run(ConversationTarget.of(agent), List.of(
 *     EvalCase.of("refund", "Refund order 1001", Check.calledTool("refund", "{\"orderId\":1001}")),
 *     EvalCase.of("hours", "When are you open?", Check.matches("\\d+ ?(am|pm)"))));
 * report.writeTo(Path.of("target/evaluations"));
 * report.assertPassRateAtLeast(0.9);
 * }</pre>
 *
 * <p>Each case runs in a fresh conversation; a turn that throws a Colloquy exception fails its
 * case, and the run goes on. Immutable and thread-safe.
 */
public final class Evaluation {

  private final String title;

  private Evaluation(String title) {
    this.title = title;
  }

  /** Returns an evaluation with this title in its reports. */
  public static Evaluation named(String title) {
    Objects.requireNonNull(title, "title");
    if (title.isBlank()) {
      throw new IllegalArgumentException("an evaluation needs a title");
    }
    return new Evaluation(title);
  }

  /** Runs every case, in order, and returns the report. */
  public EvalReport run(ConversationTarget target, List<EvalCase> cases) {
    Objects.requireNonNull(target, "target");
    List<EvalReport.CaseResult> results = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      EvalCase c = cases.get(i);
      Reply reply;
      try {
        reply = target.send("eval-" + (i + 1) + "-" + c.name(), c.input());
      } catch (ColloquyException e) {
        results.add(
            new EvalReport.CaseResult(
                c.name(),
                c.input(),
                "",
                List.of(
                    new EvalReport.CheckResult(
                        "turn", false, "the turn failed: " + e.getMessage()))));
        continue;
      }
      List<EvalReport.CheckResult> checks = new ArrayList<>();
      for (Check check : c.checks()) {
        Optional<String> problem = check.evaluate(c.input(), reply);
        checks.add(new EvalReport.CheckResult(check.name(), problem.isEmpty(), problem.orElse("")));
      }
      results.add(new EvalReport.CaseResult(c.name(), c.input(), reply.text(), checks));
    }
    return new EvalReport(title, results);
  }
}
