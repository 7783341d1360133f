package dev.colloquy.test.junit;

import dev.colloquy.test.Transcript;
import dev.colloquy.test.cassette.CassetteMode;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link ColloquyTest}: resolves {@link TestModels} parameters and,
 * when a test throws, prints the transcript of its model calls to standard output and attaches it
 * to the failure as a suppressed {@link TranscriptOfFailedTest}.
 *
 * <p>The cassette mode is read once per test from {@link CassetteMode#current()}.
 */
public final class ColloquyExtension implements ParameterResolver, TestExecutionExceptionHandler {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ColloquyExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestModels.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return models(context);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    TestModels models = context.getStore(NAMESPACE).get(TestModels.class, TestModels.class);
    if (models != null) {
      Transcript transcript = models.transcript();
      int calls = transcript.exchanges().size();
      String text =
          "Colloquy transcript of "
              + context.getRequiredTestClass().getSimpleName()
              + "."
              + context.getRequiredTestMethod().getName()
              + "() ("
              + calls
              + " model "
              + (calls == 1 ? "call" : "calls")
              + "):\n"
              + transcript.render();
      PrintStream out = System.out;
      out.print(text);
      out.flush();
      failure.addSuppressed(new TranscriptOfFailedTest(text));
    }
    throw failure;
  }

  private static TestModels models(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            TestModels.class,
            key -> {
              Method method = context.getRequiredTestMethod();
              String folder =
                  AnnotationSupport.findAnnotation(method, ColloquyTest.class)
                      .or(
                          () ->
                              AnnotationSupport.findAnnotation(
                                  context.getRequiredTestClass(), ColloquyTest.class))
                      .map(ColloquyTest::cassettes)
                      .orElse("src/test/resources/cassettes");
              Path file =
                  Path.of(
                      folder,
                      context.getRequiredTestClass().getSimpleName(),
                      method.getName() + ".json");
              return new TestModels(file, CassetteMode.current());
            },
            TestModels.class);
  }
}
