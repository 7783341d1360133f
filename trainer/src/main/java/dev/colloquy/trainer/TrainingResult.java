package dev.colloquy.trainer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a training run produced.
 *
 * @param directory the checkpoint directory (Hugging Face layout)
 * @param losses the mean loss per logged interval, in order (per learned token, in nats)
 * @param examples the conversations trained on (after skipping those that did not fit)
 * @param took the wall time
 */
public record TrainingResult(Path directory, List<Double> losses, int examples, Duration took) {

  /** Validates and copies the fields. */
  public TrainingResult {
    Objects.requireNonNull(directory, "directory");
    losses = List.copyOf(losses);
    Objects.requireNonNull(took, "took");
  }
}
