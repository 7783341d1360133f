package dev.colloquy.core.agent;

import dev.colloquy.core.cost.BudgetPolicy;
import dev.colloquy.core.cost.CostLedger;
import dev.colloquy.core.guard.Guard;
import dev.colloquy.core.guard.PiiRedactor;
import dev.colloquy.core.internal.trace.SpanFactory;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.observe.ChatListener;
import dev.colloquy.core.tool.ToolCallCheck;
import dev.colloquy.core.tool.Toolbox;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * An agent's settings as the turn runner needs them; absent optional parts are {@code null} here
 * (package-private), never across the API.
 */
record TurnSettings(
    ChatModel model,
    ChatMemory memory,
    Toolbox toolbox,
    Duration deadline,
    LongSupplier nanoTime,
    Guard inputGuard,
    Guard outputGuard,
    ToolCallCheck toolCallCheck,
    PiiRedactor redactor,
    String refusal,
    ChatListener listener,
    CostLedger ledger,
    BudgetPolicy budgets,
    Map<String, ChatModel> alternativeModels,
    String name,
    SpanFactory spans) {}
