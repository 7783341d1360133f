package dev.colloquy.examples.webchat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.ColloquyException;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.TurnListener;
import dev.colloquy.core.tool.ToolExecution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The chat API: {@code POST /api/chat} runs one turn and returns the whole reply; {@code GET
 * /api/chat/stream} runs one turn and streams the reply as server-sent events ({@code delta} events
 * with {@code {"text": "..."}} and, for each tool the agent ran, a {@code tool} event with {@code
 * {"name", "arguments", "result", "failed"}}; then one {@code done} event, or one {@code failure}
 * event with {@code {"message": "..."}}). Each turn runs on a small bounded pool so that slow
 * models do not hold the servlet threads.
 *
 * <p>A failed turn shows the browser one generic line ({@link #UNAVAILABLE} or {@link #FAILED}),
 * never the exception's message, which can name the backend's URL; the details go to the server
 * log.
 */
@RestController
public class ChatController implements DisposableBean {
  /**
   * What the page shows when the model could not be reached or answered in time (worth a retry).
   */
  public static final String UNAVAILABLE =
      "The assistant is not available right now. Please try again in a moment.";

  /** What the page shows for any other failed turn. */
  public static final String FAILED = "Sorry, the assistant could not answer that.";

  private static final Logger LOG = LoggerFactory.getLogger(ChatController.class);
  private static final long STREAM_TIMEOUT_MILLIS = 5 * 60 * 1000L;

  private final Agent agent;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicInteger threadNumber = new AtomicInteger();
  private final ExecutorService turns =
      Executors.newFixedThreadPool(
          4,
          task -> {
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
  public record TurnRequest(String conversationId, String message) {}

  /** The answer of {@code POST /api/chat}. */
  public record TurnReply(String conversationId, String reply) {}

  /** The answer of {@code POST /api/chat} when the turn failed: one line for people, no details. */
  public record TurnFailure(String message) {}

  /**
   * Runs one turn.
   *
   * @param request the conversation and the user's message
   * @return the reply, or 400 naming a missing field
   */
  @PostMapping(path = "/api/chat", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<?> chat(@RequestBody TurnRequest request) {
    String missing =
        request.conversationId() == null || request.conversationId().isBlank()
            ? "conversationId"
            : request.message() == null ? "message" : null;
    if (missing != null) {
      return ResponseEntity.badRequest()
          .body(
              new TurnFailure(
                  "the request body needs a non-blank \"conversationId\" and a \"message\":"
                      + " \""
                      + missing
                      + "\" is missing"));
    }
    return ResponseEntity.ok(
        new TurnReply(
            request.conversationId(), agent.chat(request.conversationId(), request.message())));
  }

  /**
   * Runs one turn and streams the reply as it is generated.
   *
   * @param conversationId the conversation
   * @param message the user's message
   * @return the event stream
   */
  @GetMapping(path = "/api/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter stream(
      @RequestParam("conversationId") String conversationId,
      @RequestParam("message") String message) {
    SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
    turns.execute(
        () -> {
          try {
            agent.stream(
                conversationId,
                message,
                new TurnListener() {
                  @Override
                  public void onText(String delta) {
                    send(emitter, "delta", Map.of("text", delta));
                  }

                  @Override
                  public void onToolExecution(ToolExecution execution) {
                    Map<String, Object> tool = new LinkedHashMap<>();
                    tool.put("name", execution.call().name());
                    tool.put("arguments", execution.call().arguments());
                    tool.put("result", execution.result());
                    tool.put("failed", !execution.succeeded());
                    send(emitter, "tool", tool);
                  }
                });
            send(emitter, "done", Map.of());
            emitter.complete();
          } catch (RuntimeException e) {
            // The page shows one generic line; the turn left memory unchanged.
            String shown = logFailure(conversationId, e);
            try {
              send(emitter, "failure", Map.of("message", shown));
              emitter.complete();
            } catch (UncheckedIOException closed) {
              emitter.completeWithError(e);
            }
          }
        });
    return emitter;
  }

  /**
   * Answers a failed {@code POST /api/chat} turn with 503 (worth a retry) or 500 and one generic
   * line.
   *
   * @param failure why the turn failed
   * @return the generic line
   */
  @ExceptionHandler(ColloquyException.class)
  public ResponseEntity<TurnFailure> failed(ColloquyException failure) {
    String shown = logFailure("(REST)", failure);
    HttpStatus status =
        shown.equals(UNAVAILABLE)
            ? HttpStatus.SERVICE_UNAVAILABLE
            : HttpStatus.INTERNAL_SERVER_ERROR;
    return ResponseEntity.status(status).body(new TurnFailure(shown));
  }

  private static String logFailure(String conversationId, RuntimeException failure) {
    LOG.warn("A chat turn of conversation {} failed", conversationId, failure);
    return failure instanceof RetryableException ? UNAVAILABLE : FAILED;
  }

  private void send(SseEmitter emitter, String name, Map<String, ?> data) {
    try {
      emitter.send(
          SseEmitter.event()
              .name(name)
              .data(json.writeValueAsString(data), MediaType.APPLICATION_JSON));
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
