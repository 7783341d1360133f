package dev.colloquy.examples.webchat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.model.StreamListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The chat API: {@code POST /api/chat} runs one turn and returns the whole reply;
 * {@code GET /api/chat/stream} runs one turn and streams the reply as server-sent events
 * ({@code delta} events with {@code {"text": "..."}}, then one {@code done} event, or one
 * {@code failure} event with {@code {"message": "..."}}). Each turn runs on a small bounded pool so
 * that slow models do not hold the servlet threads.
 */
@RestController
public class ChatController implements DisposableBean {
  private static final long STREAM_TIMEOUT_MILLIS = 5 * 60 * 1000L;

  private final Agent agent;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicInteger threadNumber = new AtomicInteger();
  private final ExecutorService turns = Executors.newFixedThreadPool(4, task -> {
    Thread thread = new Thread(task, "chat-turn-" + threadNumber.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  });

  /**
   * Makes the controller.
   *
   * @param agent the agent named {@code assistant} in the definition files
   */
  public ChatController(@Qualifier("assistant") Agent agent) {
    this.agent = agent;
  }

  /** The body of {@code POST /api/chat}. */
  public record TurnRequest(String conversationId, String message) {
  }

  /** The answer of {@code POST /api/chat}. */
  public record TurnReply(String conversationId, String reply) {
  }

  /**
   * Runs one turn.
   *
   * @param request the conversation and the user's message
   * @return the reply
   */
  @PostMapping(path = "/api/chat", consumes = MediaType.APPLICATION_JSON_VALUE)
  public TurnReply chat(@RequestBody TurnRequest request) {
    return new TurnReply(request.conversationId(), agent.chat(request.conversationId(), request.message()));
  }

  /**
   * Runs one turn and streams the reply as it is generated.
   *
   * @param conversationId the conversation
   * @param message the user's message
   * @return the event stream
   */
  @GetMapping(path = "/api/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter stream(@RequestParam("conversationId") String conversationId,
      @RequestParam("message") String message) {
    SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
    turns.execute(() -> {
      try {
        agent.stream(conversationId, message, new StreamListener() {
          @Override
          public void onText(String delta) {
            send(emitter, "delta", Map.of("text", delta));
          }
        });
        send(emitter, "done", Map.of());
        emitter.complete();
      } catch (RuntimeException e) {
        // The page shows the failure; the turn left memory unchanged.
        try {
          send(emitter, "failure", Map.of("message", String.valueOf(e.getMessage())));
          emitter.complete();
        } catch (UncheckedIOException closed) {
          emitter.completeWithError(e);
        }
      }
    });
    return emitter;
  }

  private void send(SseEmitter emitter, String name, Map<String, String> data) {
    try {
      emitter.send(SseEmitter.event().name(name).data(json.writeValueAsString(data), MediaType.APPLICATION_JSON));
    } catch (IOException e) {
      throw new UncheckedIOException("the browser went away", e);
    }
  }

  /** Stops the turn pool. */
  @Override
  public void destroy() {
    turns.shutdownNow();
  }
}
