package dev.colloquy.test.junit;

/**
 * Attached, as a suppressed exception, to the failure of a {@link ColloquyTest}: its message is the
 * transcript of every model call the test made, so that it shows in the test report.
 */
public final class TranscriptOfFailedTest extends RuntimeException {

  private static final long serialVersionUID = 1L;

  TranscriptOfFailedTest(String transcript) {
    super(transcript, null, false, false);
  }
}
