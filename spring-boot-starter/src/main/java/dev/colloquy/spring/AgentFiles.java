package dev.colloquy.spring;

import dev.colloquy.dsl.Definitions;
import dev.colloquy.dsl.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternUtils;
import org.springframework.util.ResourceUtils;

/** Reads the agent definition files under {@code colloquy.agents.location}. */
final class AgentFiles {
  static final String LOCATION_PROPERTY = "colloquy.agents.location";
  static final String DEFAULT_LOCATION = "classpath:agents/";
  static final String WATCH_PROPERTY = "colloquy.agents.watch";

  private AgentFiles() {}

  /** Returns the configured location, or the default. */
  static String location(Environment environment) {
    String location = environment.getProperty(LOCATION_PROPERTY, DEFAULT_LOCATION).strip();
    return location.endsWith("/") ? location : location + "/";
  }

  /**
   * Returns whether {@code colloquy.agents.watch} is on. Read from the environment, not the bound
   * properties, because the agents are registered before any bean is created.
   *
   * @throws IllegalArgumentException when the value is not a boolean
   */
  static boolean watch(Environment environment) {
    try {
      return environment.getProperty(WATCH_PROPERTY, Boolean.class, false);
    } catch (ConversionException e) {
      throw new IllegalArgumentException(
          WATCH_PROPERTY
              + " must be true or false, was '"
              + environment.getProperty(WATCH_PROPERTY)
              + "'",
          e);
    }
  }

  /**
   * Returns the file-system folder to watch.
   *
   * @throws IllegalStateException when the location is not a {@code file:} location of an existing
   *     folder: only such a folder can be edited while the application runs
   */
  static Path watchedFolder(ResourceLoader resourceLoader, String location) {
    if (!location.startsWith(ResourceUtils.FILE_URL_PREFIX)) {
      throw new IllegalStateException(
          WATCH_PROPERTY
              + "=true needs "
              + LOCATION_PROPERTY
              + " to be a file-system folder, such as file:/srv/app/agents/, was '"
              + location
              + "': set "
              + LOCATION_PROPERTY
              + " to the folder you edit, or turn "
              + WATCH_PROPERTY
              + " off");
    }
    Path folder;
    try {
      folder = resourceLoader.getResource(location).getFile().toPath();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot resolve " + LOCATION_PROPERTY + " '" + location + "'", e);
    }
    if (!Files.isDirectory(folder)) {
      throw new IllegalStateException(
          WATCH_PROPERTY
              + "=true needs "
              + LOCATION_PROPERTY
              + " to be an existing folder, was '"
              + location
              + "' ("
              + folder
              + " is not a folder)");
    }
    return folder;
  }

  /**
   * Reads every {@code *.colloquy} file under the location, sub-folders included, sorted by path;
   * each named by its path below the location, as in {@code support.colloquy:7:9}. A missing folder
   * holds no files.
   */
  static List<Source> read(ResourceLoader resourceLoader, String location) {
    ResourcePatternResolver resolver =
        ResourcePatternUtils.getResourcePatternResolver(resourceLoader);
    try {
      Resource root = resolver.getResource(location);
      if (!root.exists()) {
        return List.of();
      }
      String rootUrl = root.getURL().toString();
      List<Source> sources = new ArrayList<>();
      for (Resource file : resolver.getResources(location + "**/*" + Definitions.EXTENSION)) {
        if (!file.isReadable()) {
          continue;
        }
        String url = file.getURL().toString();
        String name =
            url.startsWith(rootUrl) ? url.substring(rootUrl.length()) : file.getFilename();
        sources.add(new Source(name, file.getContentAsString(StandardCharsets.UTF_8)));
      }
      sources.sort(Comparator.comparing(Source::name));
      return sources;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the agent definition files under "
              + location
              + " ("
              + LOCATION_PROPERTY
              + ")",
          e);
    }
  }
}
