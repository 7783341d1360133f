package dev.colloquy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The public API baseline: every public or protected type and member of the packages the library
 * modules export, one line each, compared with the checked-in {@code api/colloquy-api.txt}. A
 * change to the public API fails here until the file is regenerated ({@code mvn verify
 * -Dcolloquy.api.update=true}), so the change shows in review as a diff of that file. Signatures
 * are erased (generic arguments are not compared).
 */
class PublicApiTest {

  private static final Path ROOT = Path.of("../..");
  private static final Path BASELINE = ROOT.resolve("api/colloquy-api.txt");
  private static final List<String> MODULES =
      List.of(
          "sdk-core",
          "dsl",
          "sdk-model-local",
          "trainer",
          "sdk-model-remote",
          "sdk-test",
          "memory-redis",
          "memory-jdbc",
          "mcp");

  /** The starter has no module descriptor: its root package is its API. */
  private static final List<String> UNDESCRIBED_PACKAGES = List.of("dev.colloquy.spring");

  private static final Pattern EXPORT =
      Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

  @Test
  void thePublicApiMatchesTheCheckedInBaseline() throws IOException {
    Set<String> packages = exportedPackages();
    String actual = String.join("\n", signatures(packages)) + "\n";

    if (Boolean.getBoolean("colloquy.api.update")) {
      Files.createDirectories(BASELINE.getParent());
      Files.writeString(BASELINE, actual, StandardCharsets.UTF_8);
    }
    assertThat(BASELINE).as("the API baseline; create it with -Dcolloquy.api.update=true").exists();
    String expected = Files.readString(BASELINE, StandardCharsets.UTF_8);
    assertThat(actual)
        .as(
            "the public API changed: review the difference, then run mvn verify -Dcolloquy.api.update=true"
                + " and commit api/colloquy-api.txt")
        .isEqualTo(expected);
  }

  private static Set<String> exportedPackages() throws IOException {
    Set<String> packages = new TreeSet<>(UNDESCRIBED_PACKAGES);
    for (String module : MODULES) {
      Matcher m =
          EXPORT.matcher(
              Files.readString(ROOT.resolve(module).resolve("src/main/java/module-info.java")));
      while (m.find()) {
        packages.add(m.group(1));
      }
    }
    return packages;
  }

  private static List<String> signatures(Set<String> packages) {
    Set<String> lines = new TreeSet<>();
    for (JavaClass type :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages(packages)) {
      if (!packages.contains(type.getPackageName()) || !visible(type)) {
        continue;
      }
      String name = type.getName();
      lines.add(name + " " + describe(type.getModifiers()) + kind(type) + supertypes(type));
      for (JavaField field : type.getFields()) {
        if (visible(field.getModifiers())) {
          lines.add(
              name
                  + " field "
                  + describe(field.getModifiers())
                  + field.getRawType().getName()
                  + " "
                  + field.getName());
        }
      }
      for (JavaCodeUnit unit : type.getCodeUnits()) {
        if (visible(unit.getModifiers())
            && !unit.getModifiers().contains(JavaModifier.SYNTHETIC)
            && !unit.getModifiers().contains(JavaModifier.BRIDGE)
            && !unit.getName().equals("<clinit>")) {
          String parameters =
              unit.getRawParameterTypes().stream()
                  .map(JavaClass::getName)
                  .collect(Collectors.joining(", "));
          lines.add(
              name
                  + " "
                  + (unit.isConstructor() ? "constructor " : "method ")
                  + describe(unit.getModifiers())
                  + (unit.isConstructor()
                      ? ""
                      : unit.getRawReturnType().getName() + " " + unit.getName())
                  + "("
                  + parameters
                  + ")");
        }
      }
    }
    return new ArrayList<>(lines);
  }

  /** A type a user can name: public, and every enclosing type public too. */
  private static boolean visible(JavaClass type) {
    for (JavaClass t = type; t != null; t = t.getEnclosingClass().orElse(null)) {
      if (!t.getModifiers().contains(JavaModifier.PUBLIC)
          || t.isAnonymousClass()
          || t.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  private static boolean visible(Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  private static String describe(Set<JavaModifier> modifiers) {
    return modifiers.stream()
        .filter(m -> m != JavaModifier.SYNTHETIC && m != JavaModifier.BRIDGE)
        .map(m -> m.name().toLowerCase(java.util.Locale.ROOT))
        .sorted()
        .collect(Collectors.joining(" ", "", " "));
  }

  private static String kind(JavaClass type) {
    return type.isAnnotation()
        ? "@interface"
        : type.isInterface()
            ? "interface"
            : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
  }

  private static String supertypes(JavaClass type) {
    List<String> names = new ArrayList<>();
    type.getRawSuperclass()
        .filter(s -> !s.getName().startsWith("java.lang."))
        .ifPresent(s -> names.add(s.getName()));
    type.getRawInterfaces().stream().map(JavaClass::getName).sorted().forEach(names::add);
    return names.isEmpty() ? "" : " : " + String.join(", ", names);
  }
}
