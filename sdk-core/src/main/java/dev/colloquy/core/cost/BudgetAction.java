package dev.colloquy.core.cost;

import java.util.Objects;

/** What an agent does when a budget is exceeded. */
public sealed interface BudgetAction {

  /** Returns the action that refuses further turns. */
  static BudgetAction stop() {
    return Stop.INSTANCE;
  }

  /**
   * Returns the action that trims the conversation's memory before the next turn, so each turn
   * costs fewer prompt tokens.
   *
   * @param keepLastMessages the messages to keep; at least 1
   */
  static BudgetAction trimMemory(int keepLastMessages) {
    return new TrimMemory(keepLastMessages);
  }

  /**
   * Returns the action that sends further turns to a cheaper model.
   *
   * @param model the name of the model to switch to, as the application registered it
   */
  static BudgetAction switchModel(String model) {
    return new SwitchModel(model);
  }

  /** Refuse further turns. */
  enum Stop implements BudgetAction {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "Stop";
    }
  }

  /**
   * Trim the conversation's memory to its last messages.
   *
   * @param keepLastMessages the messages to keep; at least 1
   */
  record TrimMemory(int keepLastMessages) implements BudgetAction {
    /** Validates the count. */
    public TrimMemory {
      if (keepLastMessages < 1) {
        throw new IllegalArgumentException(
            "keepLastMessages must be at least 1, was " + keepLastMessages);
      }
    }
  }

  /**
   * Use another model.
   *
   * @param model the model's name; not blank
   */
  record SwitchModel(String model) implements BudgetAction {
    /** Validates the name. */
    public SwitchModel {
      Objects.requireNonNull(model, "model");
      if (model.isBlank()) {
        throw new IllegalArgumentException("switchModel needs a model name");
      }
    }
  }
}
