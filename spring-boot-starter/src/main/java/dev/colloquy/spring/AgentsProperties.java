package dev.colloquy.spring;

/** {@code colloquy.agents.*}: where agent definition files are, and the property-built agent. */
public class AgentsProperties {
  /**
   * The folder of agent definition files (*.colloquy, sub-folders included), a Spring resource
   * location (classpath:... or file:...). Each agent declared there becomes an Agent bean named
   * after it.
   */
  private String location = "classpath:agents/";

  /**
   * Whether the definition files are reloaded when they change, for development. Needs a location
   * that is a file-system folder (file:...). The agents are then obtained from the AgentRegistry
   * bean, which gives each one's current version; an edit with errors is logged and the last good
   * definitions stay.
   */
  private boolean watch;

  /**
   * The system prompt of the agent built from properties when the location holds no definition
   * file; unset, that agent has none.
   */
  private String systemPrompt;

  /** Returns the location. */
  public String getLocation() {
    return location;
  }

  /** Sets the location; not blank. */
  public void setLocation(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("colloquy.agents.location must not be blank");
    }
    this.location = location.strip();
  }

  /** Returns whether the definition files are reloaded when they change. */
  public boolean isWatch() {
    return watch;
  }

  /** Sets whether the definition files are reloaded when they change. */
  public void setWatch(boolean watch) {
    this.watch = watch;
  }

  /** Returns the property-built agent's system prompt, or null when unset. */
  public String getSystemPrompt() {
    return systemPrompt;
  }

  /** Sets the property-built agent's system prompt. */
  public void setSystemPrompt(String systemPrompt) {
    this.systemPrompt = systemPrompt;
  }
}
