package dev.colloquy.demo;

/** What a customer of the demo shop wants, as the dialogue generator and the evaluation name it. */
public enum Intent {
  /** Hello. */
  GREETING,
  /** Where is my order? Answered with the {@code orderStatus} tool. */
  ORDER_STATUS,
  /** How long does delivery take? */
  DELIVERY_TIME,
  /** How do returns and refunds work? */
  RETURNS,
  /** When are you open? */
  OPENING_HOURS,
  /** I want to talk to a person. */
  HUMAN,
  /** Thanks, bye. */
  THANKS_BYE,
  /** Anything the shop does not handle: politely refused. */
  OFF_TOPIC,
  /**
   * An order question without one plausible order number (none, too short or long, two of them):
   * answered by asking which order, never by a lookup.
   */
  ASK_ORDER_ID
}
