package dev.colloquy.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The arrows of docs/architecture.md ("Modules and their arrows"), checked on the compiled main
 * classes of every library module: a module's {@code internal} packages are used by that module
 * only (save the local runtime's, which its trainer also uses), core knows no backend, memory
 * store, DSL, test kit, MCP or Spring, a backend and a memory store know core only, the MCP module
 * knows core and the DSL (its SDK stays inside it), the trainer knows core and the local runtime
 * only, and no library depends on the applications (examples, demo, cli). Module descriptors
 * enforce part of this when the main code compiles; this test also covers the Spring starter (no
 * descriptor) and anything on the class path.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("dev.colloquy");

  /** Root packages of the library modules, each owning its {@code internal} packages. */
  private static final List<String> MODULES =
      List.of(
          "dev.colloquy.core",
          "dev.colloquy.dsl",
          "dev.colloquy.model.local",
          "dev.colloquy.trainer",
          "dev.colloquy.model.remote",
          "dev.colloquy.test",
          "dev.colloquy.memory.redis",
          "dev.colloquy.mcp",
          "dev.colloquy.spring",
          "dev.colloquy.memory.jdbc");

  /** The one sibling allowed into a module's internals (model-local's qualified exports). */
  private static final Map<String, String> INTERNALS_SHARED_WITH =
      Map.of("dev.colloquy.model.local", "dev.colloquy.trainer");

  @Test
  void aModulesInternalPackagesAreUsedByThatModuleOnly() {
    for (String module : MODULES) {
      List<String> insiders = new ArrayList<>(List.of(module + ".."));
      if (INTERNALS_SHARED_WITH.containsKey(module)) {
        insiders.add(INTERNALS_SHARED_WITH.get(module) + "..");
      }
      ArchRule rule =
          noClasses()
              .that()
              .resideOutsideOfPackages(insiders.toArray(String[]::new))
              .should()
              .dependOnClassesThat()
              .resideInAPackage(module + ".internal..")
              .because(
                  module
                      + ".internal is that module's implementation, exported to no other module"
                      + " but "
                      + insiders);
      rule.check(MAIN_CLASSES);
    }
  }

  @Test
  void coreKnowsNoBackendNoStoreNoDslNoTestKitAndNoSpring() {
    noClasses()
        .that()
        .resideInAPackage("dev.colloquy.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.colloquy.dsl..",
            "dev.colloquy.model..",
            "dev.colloquy.memory..",
            "dev.colloquy.test..",
            "dev.colloquy.mcp..",
            "dev.colloquy.spring..",
            "dev.colloquy.examples..")
        .check(MAIN_CLASSES);
  }

  @Test
  void onlyTheMcpModuleKnowsTheMcpSdk() {
    noClasses()
        .that()
        .resideInAPackage("dev.colloquy..")
        .and()
        .resideOutsideOfPackage("dev.colloquy.mcp..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.modelcontextprotocol..", "reactor..")
        .because("the MCP SDK (and its Reactor) stay inside colloquy-mcp")
        .check(MAIN_CLASSES);
  }

  @Test
  void theMcpModuleKnowsCoreAndTheDslOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.colloquy.mcp..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.colloquy.model..",
            "dev.colloquy.test..",
            "dev.colloquy.spring..",
            "dev.colloquy.trainer..",
            "dev.colloquy.examples..",
            "dev.colloquy.demo..",
            "dev.colloquy.cli..")
        .check(MAIN_CLASSES);
  }

  @Test
  void aBackendKnowsCoreOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.colloquy.model.local..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.colloquy.model.remote..",
            "dev.colloquy.dsl..",
            "dev.colloquy.mcp..",
            "dev.colloquy.test..",
            "dev.colloquy.memory..",
            "dev.colloquy.spring..",
            "dev.colloquy.trainer..",
            "dev.colloquy.examples..",
            "dev.colloquy.demo..",
            "dev.colloquy.cli..")
        .check(MAIN_CLASSES);
    noClasses()
        .that()
        .resideInAPackage("dev.colloquy.model.remote..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.colloquy.model.local..",
            "dev.colloquy.dsl..",
            "dev.colloquy.mcp..",
            "dev.colloquy.test..",
            "dev.colloquy.memory..",
            "dev.colloquy.spring..",
            "dev.colloquy.trainer..",
            "dev.colloquy.examples..",
            "dev.colloquy.demo..",
            "dev.colloquy.cli..")
        .check(MAIN_CLASSES);
  }

  @Test
  void aMemoryStoreKnowsCoreOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.colloquy.memory..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.colloquy.model..",
            "dev.colloquy.dsl..",
            "dev.colloquy.test..",
            "dev.colloquy.spring..",
            "dev.colloquy.trainer..",
            "dev.colloquy.examples..",
            "dev.colloquy.demo..",
            "dev.colloquy.cli..")
        .check(MAIN_CLASSES);
  }

  @Test
  void theDslAndTheTestKitBuildOnCoreAlone() {
    noClasses()
        .that()
        .resideInAPackage("dev.colloquy.dsl..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.colloquy.model..",
            "dev.colloquy.mcp..",
            "dev.colloquy.test..",
            "dev.colloquy.memory..",
            "dev.colloquy.spring..",
            "dev.colloquy.trainer..",
            "dev.colloquy.examples..",
            "dev.colloquy.demo..",
            "dev.colloquy.cli..")
        .check(MAIN_CLASSES);
    noClasses()
        .that()
        .resideInAPackage("dev.colloquy.test..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.colloquy.model..",
            "dev.colloquy.dsl..",
            "dev.colloquy.memory..",
            "dev.colloquy.mcp..",
            "dev.colloquy.spring..",
            "dev.colloquy.trainer..",
            "dev.colloquy.examples..",
            "dev.colloquy.demo..",
            "dev.colloquy.cli..")
        .check(MAIN_CLASSES);
  }

  @Test
  void theTrainerKnowsCoreAndTheLocalRuntimeOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.colloquy.trainer..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.colloquy.model.remote..",
            "dev.colloquy.dsl..",
            "dev.colloquy.test..",
            "dev.colloquy.memory..",
            "dev.colloquy.spring..",
            "dev.colloquy.examples..",
            "dev.colloquy.demo..",
            "dev.colloquy.cli..")
        .check(MAIN_CLASSES);
  }

  @Test
  void noLibraryDependsOnTheApplicationsTheEndToEndSuiteOrTheBenchmarks() {
    noClasses()
        .that()
        .resideInAnyPackage(MODULES.stream().map(m -> m + "..").toArray(String[]::new))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.colloquy.examples..",
            "dev.colloquy.demo..",
            "dev.colloquy.cli..",
            "dev.colloquy.e2e..",
            "dev.colloquy.bench..")
        .check(MAIN_CLASSES);
  }
}
