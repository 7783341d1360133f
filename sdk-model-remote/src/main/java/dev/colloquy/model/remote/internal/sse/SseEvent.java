package dev.colloquy.model.remote.internal.sse;

/**
 * One dispatched server-sent event.
 *
 * @param type the event type; {@code "message"} when the stream named none
 * @param data the data lines joined with {@code \n}
 * @param lastEventId the last event id seen on the stream, possibly empty
 */
public record SseEvent(String type, String data, String lastEventId) {}
