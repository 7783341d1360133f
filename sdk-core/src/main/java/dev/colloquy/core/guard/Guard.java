package dev.colloquy.core.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Checks a text (the user's input before the model sees it, or the model's output before the user
 * sees it) and decides to pass, rewrite or block it.
 *
 * <p>Built-in guards come from {@link Guards}; {@link #andThen} chains them: each guard sees the
 * text as rewritten by the guards before it, and the first block stops the chain.
 *
 * <p>Implementations are thread-safe and do not throw for any text: a text they cannot judge is a
 * decision too.
 */
public interface Guard {

  /** Returns the guard's name for events, logs and meters; not blank. */
  String name();

  /**
   * Checks a text.
   *
   * @param text the text; possibly empty
   * @return the decision
   */
  GuardDecision check(String text);

  /**
   * Returns a guard made of a name and a function.
   *
   * @param name the guard's name; not blank
   * @param check the decision function; must not return null
   */
  static Guard of(String name, Function<String, GuardDecision> check) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a guard's name must not be blank");
    }
    return new Guard() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public GuardDecision check(String text) {
        return Objects.requireNonNull(
            check.apply(text), () -> "guard '" + name + "' returned null");
      }

      @Override
      public String toString() {
        return "Guard(" + name + ")";
      }
    };
  }

  /**
   * Returns a guard that runs this one, then {@code next} on the text this one let through. The
   * result blocks when either blocks, rewrites when either rewrote, and passes otherwise.
   *
   * @param next the guard to run second
   */
  default Guard andThen(Guard next) {
    Objects.requireNonNull(next, "next");
    Guard first = this;
    return of(
        first.name() + "+" + next.name(),
        text -> {
          GuardDecision a = first.check(text);
          if (a instanceof GuardDecision.Block) {
            return a;
          }
          String afterFirst = a instanceof GuardDecision.Rewrite rewrite ? rewrite.text() : text;
          GuardDecision b = next.check(afterFirst);
          if (b instanceof GuardDecision.Block || a instanceof GuardDecision.Pass) {
            return b;
          }
          GuardDecision.Rewrite rewrite = (GuardDecision.Rewrite) a;
          if (b instanceof GuardDecision.Rewrite second) {
            return GuardDecision.rewrite(second.text(), rewrite.reason() + "; " + second.reason());
          }
          return rewrite;
        });
  }

  /**
   * Returns a guard that runs the given guards in order; see {@link #andThen}.
   *
   * @param guards at least one guard
   */
  static Guard allOf(List<Guard> guards) {
    List<Guard> copy = new ArrayList<>(List.copyOf(guards));
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("allOf needs at least one guard");
    }
    Guard chain = copy.get(0);
    for (int i = 1; i < copy.size(); i++) {
      chain = chain.andThen(copy.get(i));
    }
    return chain;
  }
}
