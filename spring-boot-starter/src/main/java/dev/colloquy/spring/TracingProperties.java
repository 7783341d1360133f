package dev.colloquy.spring;

/**
 * {@code colloquy.tracing.*}: spans of the agents' turns, model calls and tool calls, given to
 * Spring Boot's tracing through its {@code ObservationRegistry}.
 */
public class TracingProperties {
  /** Whether the agents are traced when an ObservationRegistry bean exists. */
  private boolean enabled = true;

  /**
   * Whether spans record prompts, replies, tool arguments and results, redacted (personal data,
   * token-shaped secrets and the backend's configured secrets removed); off by default.
   */
  private boolean captureContent;

  /** Returns whether the agents are traced. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Turns tracing on or off. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Returns whether spans record content. */
  public boolean isCaptureContent() {
    return captureContent;
  }

  /** Turns the recording of content on or off. */
  public void setCaptureContent(boolean captureContent) {
    this.captureContent = captureContent;
  }
}
