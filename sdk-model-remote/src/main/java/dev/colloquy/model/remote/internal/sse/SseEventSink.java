package dev.colloquy.model.remote.internal.sse;

/**
 * Receives the events of a {@link SseEventParser} with their data as UTF-8 bytes, so a consumer
 * that parses the data itself needs no {@code String} per event.
 */
@FunctionalInterface
public interface SseEventSink {

  /**
   * Receives one dispatched event.
   *
   * @param type the event type; {@code "message"} when the stream named none
   * @param data the data lines joined with {@code \n}, as UTF-8 bytes in {@code data[0, length)};
   *     the array is the parser's and is reused once this call returns
   * @param length the number of bytes of data
   * @param lastEventId the last event id seen on the stream, possibly empty
   */
  void onEvent(String type, byte[] data, int length, String lastEventId);
}
