package dev.colloquy.core.observe;

import dev.colloquy.core.guard.PiiRedactor;
import dev.colloquy.core.message.Message;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs {@link ChatEvent}s through SLF4J on the logger {@code dev.colloquy.chat}.
 *
 * <ul>
 *   <li>DEBUG: one line per call (model, latency, tokens, finish reason), retry, cache lookup, tool
 *       call and guard decision; no prompt or reply text;
 *   <li>WARN: failed calls, with the error's message;
 *   <li>TRACE, only when the application enables it for this logger: the prompt's last message and
 *       the reply, after redaction of personal data and secrets ({@link PiiRedactor#all()}).
 *       Redaction is always applied; there is no setting that logs raw text.
 * </ul>
 *
 * Thread-safe.
 */
public final class LoggingChatListener implements ChatListener {

  private final Logger log;
  private final PiiRedactor redactor;

  private LoggingChatListener(Logger log, PiiRedactor redactor) {
    this.log = log;
    this.redactor = redactor;
  }

  /**
   * Returns a listener on the logger {@code dev.colloquy.chat}, redacting every {@link
   * dev.colloquy.core.guard.PiiKind}.
   */
  public static LoggingChatListener create() {
    return of(LoggerFactory.getLogger("dev.colloquy.chat"), PiiRedactor.all());
  }

  /**
   * Returns a listener on the given logger with the given redactor.
   *
   * @param logger where to log
   * @param redactor what to remove from text logged at TRACE
   */
  public static LoggingChatListener of(Logger logger, PiiRedactor redactor) {
    return new LoggingChatListener(
        Objects.requireNonNull(logger, "logger"), Objects.requireNonNull(redactor, "redactor"));
  }

  @Override
  public void onEvent(ChatEvent event) {
    if (event instanceof ChatEvent.RequestSent sent) {
      if (log.isTraceEnabled()) {
        var messages = sent.request().messages();
        Message last = messages.get(messages.size() - 1);
        log.trace(
            "{} request to {}: {} message(s), last ({}): {}",
            sent.callId(),
            sent.model(),
            messages.size(),
            last.role(),
            redactor.redact(last.text()));
      }
    } else if (event instanceof ChatEvent.ResponseReceived received) {
      log.debug(
          "{} {} answered in {} ms: {} in / {} out tokens, finish {}",
          received.callId(),
          received.response().modelId(),
          received.latency().toMillis(),
          received.usage().inputTokens(),
          received.usage().outputTokens(),
          received.response().finishReason());
      if (log.isTraceEnabled()) {
        log.trace("{} reply: {}", received.callId(), redactor.redact(received.response().text()));
      }
    } else if (event instanceof ChatEvent.CallFailed failed) {
      log.warn(
          "{} {} failed after {} ms: {}: {}",
          failed.callId(),
          failed.model(),
          failed.latency().toMillis(),
          failed.errorKind(),
          redactor.redact(String.valueOf(failed.error().getMessage())));
    } else if (event instanceof ChatEvent.RetryScheduled retry) {
      log.debug(
          "{} attempt {} failed ({}), retrying in {} ms",
          retry.model(),
          retry.attempt(),
          retry.error().getClass().getSimpleName(),
          retry.delay().toMillis());
    } else if (event instanceof ChatEvent.CacheLookup lookup) {
      log.debug(
          "cache {} for {} in scope {}",
          lookup.hit() ? "hit" : "miss",
          lookup.model(),
          lookup.scope());
    } else if (event instanceof ChatEvent.ToolCalled tool) {
      log.debug(
          "tool {} {} in {} ms",
          tool.tool(),
          tool.failed() ? "failed" : "ran",
          tool.duration().toMillis());
    } else if (event instanceof ChatEvent.GuardDecided guard) {
      log.debug(
          "guard {} on {}: {} {}", guard.guard(), guard.stage(), guard.outcome(), guard.reason());
    }
  }
}
