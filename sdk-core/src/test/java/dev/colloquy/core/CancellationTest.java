package dev.colloquy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CancellationTest {

  @Test
  void runsCallbacksOnceWhenCancelled() {
    Cancellation cancellation = Cancellation.create();
    List<String> ran = new ArrayList<>();
    cancellation.onCancel(() -> ran.add("first"));

    cancellation.cancel();
    cancellation.cancel();

    assertThat(ran).containsExactly("first");
    assertThat(cancellation.isCancelled()).isTrue();
    assertThatThrownBy(cancellation::throwIfCancelled).isInstanceOf(CancelledException.class);
  }

  @Test
  void aCallbackRegisteredAfterCancellationRunsAtOnce() {
    Cancellation cancellation = Cancellation.create();
    cancellation.cancel();
    List<String> ran = new ArrayList<>();

    cancellation.onCancel(() -> ran.add("late"));

    assertThat(ran).containsExactly("late");
  }

  @Test
  void aClosedRegistrationDoesNotRun() {
    Cancellation cancellation = Cancellation.create();
    List<String> ran = new ArrayList<>();
    Cancellation.Registration registration = cancellation.onCancel(() -> ran.add("x"));

    registration.close();
    cancellation.cancel();

    assertThat(ran).isEmpty();
  }

  @Test
  void aChildFollowsItsParentButNotTheOtherWay() {
    Cancellation parent = Cancellation.create();
    Cancellation first = parent.child();
    Cancellation second = parent.child();

    first.cancel();
    assertThat(parent.isCancelled()).isFalse();
    parent.cancel();

    assertThat(second.isCancelled()).isTrue();
  }

  @Test
  void noneCannotBeCancelled() {
    assertThatThrownBy(() -> Cancellation.none().cancel())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cancellation.none() cannot be cancelled; use Cancellation.create()");
    assertThat(Cancellation.none().isCancelled()).isFalse();
  }

  @Test
  void exceptionFamiliesAreSplitByRetryability() {
    assertThat(new CancelledException("x")).isInstanceOf(NonRetryableException.class);
    assertThat(new TruncatedResponseException("cut", "par").partialText()).isEqualTo("par");
    assertThat(new TruncatedResponseException("cut", "")).isInstanceOf(RetryableException.class);
    assertThat(new RetryableException("slow", null, java.time.Duration.ofSeconds(2)).retryAfter())
        .hasValue(java.time.Duration.ofSeconds(2));
  }
}
