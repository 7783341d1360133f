package dev.colloquy.memory.jdbc;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.sqlite.util.OSInfo;

/**
 * Starts the JVMs {@link CrashTest} kills, quickly: a hundred of them start on a busy 2-core
 * machine. The test's class path (its class folders packed into jars, as class-data sharing needs)
 * with a class-data archive written by one child that ran to its end, so the others map the classes
 * instead of parsing and verifying them (about 40% less CPU each); C1 only; SQLite's native library
 * unpacked once instead of by each child.
 */
final class ChildJvm {

  private final List<String> command;

  private ChildJvm(List<String> command) {
    this.command = command;
  }

  /**
   * Prepares the children's command under {@code work}, running one child to its end to write the
   * class-data archive.
   *
   * @param archiveArguments the arguments of that one child's main class
   */
  static ChildJvm prepare(Path work, Class<?> mainClass, List<String> archiveArguments)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    List<String> classPath = new ArrayList<>();
    String testClassPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    int folders = 0;
    for (String entry : testClassPath.split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        Path jar = work.resolve("classes-" + folders++ + ".jar");
        pack(path, jar);
        classPath.add(jar.toString());
      } else if (Files.exists(path)) {
        classPath.add(entry);
      }
    }
    List<String> base = new ArrayList<>();
    base.add(ProcessHandle.current().info().command().orElse("java"));
    base.addAll(
        List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-XX:-UsePerfData",
            "-Xmx128m",
            // Anything the JVM or a library leaves in the temporary folder stays under target/.
            "-Djava.io.tmpdir=" + work));
    base.addAll(sqliteLibrary(work));
    base.add("-cp");
    base.add(String.join(File.pathSeparator, classPath));

    Path archive = work.resolve("child.jsa");
    Files.deleteIfExists(archive);
    List<String> archiving = new ArrayList<>(base);
    archiving.add(1, "-XX:ArchiveClassesAtExit=" + archive);
    archiving.add(mainClass.getName());
    archiving.addAll(archiveArguments);
    Process p =
        new ProcessBuilder(archiving)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("archiving.log").toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.toHandle().destroyForcibly();
      throw new IllegalStateException("the archiving child did not end: " + archiving);
    }
    List<String> command = new ArrayList<>(base);
    if (p.exitValue() == 0 && Files.exists(archive)) {
      command.add(1, "-XX:SharedArchiveFile=" + archive);
      command.add(2, "-Xlog:cds=off,cds+dynamic=off");
    }
    command.add(mainClass.getName());
    return new ChildJvm(command);
  }

  /** Starts a child with these arguments to its main class; its stderr goes to its stdout. */
  Process start(String... arguments) throws IOException {
    List<String> full = new ArrayList<>(command);
    full.addAll(List.of(arguments));
    return new ProcessBuilder(full).redirectErrorStream(true).start();
  }

  private static void pack(Path folder, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out);
        Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        zip.putNextEntry(new JarEntry(folder.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
  }

  // sqlite-jdbc otherwise copies its native library to the temporary folder in every JVM.
  private static List<String> sqliteLibrary(Path work) throws IOException {
    String name = System.mapLibraryName("sqlitejdbc");
    String resource =
        "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name;
    try (InputStream in = OSInfo.class.getResourceAsStream(resource)) {
      if (in == null) {
        return List.of();
      }
      Files.copy(in, work.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    return List.of("-Dorg.sqlite.lib.path=" + work, "-Dorg.sqlite.lib.name=" + name);
  }
}
