package dev.colloquy.core.guard;

import java.util.Objects;

/**
 * What a {@link Guard} decided about a text: let it through, let a changed text through, or stop it
 * with a reason.
 */
public sealed interface GuardDecision {

  /** Returns the decision that lets the text through unchanged. */
  static GuardDecision pass() {
    return Pass.INSTANCE;
  }

  /**
   * Returns the decision that replaces the text.
   *
   * @param text the text to use instead
   * @param reason why it was changed, for logs and events; must not contain the removed values
   */
  static GuardDecision rewrite(String text, String reason) {
    return new Rewrite(text, reason);
  }

  /**
   * Returns the decision that stops the text.
   *
   * @param reason why, for logs, events and (when the application chooses) the refusal shown to the
   *     user; must not contain sensitive values
   */
  static GuardDecision block(String reason) {
    return new Block(reason);
  }

  /** The text goes on unchanged. */
  enum Pass implements GuardDecision {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "Pass";
    }
  }

  /**
   * The text goes on as {@code text}.
   *
   * @param text the replacement text
   * @param reason why it was changed; not blank
   */
  record Rewrite(String text, String reason) implements GuardDecision {
    /** Validates the fields. */
    public Rewrite {
      Objects.requireNonNull(text, "text");
      requireReason(reason);
    }

    @Override
    public String toString() {
      // The text may still be long or sensitive in ways a guard did not catch: keep it out of logs.
      return "Rewrite[reason=" + reason + ", length=" + text.length() + "]";
    }
  }

  /**
   * The text is stopped.
   *
   * @param reason why; not blank
   */
  record Block(String reason) implements GuardDecision {
    /** Validates the reason. */
    public Block {
      requireReason(reason);
    }
  }

  private static void requireReason(String reason) {
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("a guard decision's reason must not be blank");
    }
  }
}
