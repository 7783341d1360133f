package dev.colloquy.spring;

import dev.colloquy.dsl.Definitions;
import dev.colloquy.dsl.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternUtils;

/** Reads the agent definition files under {@code colloquy.agents.location}. */
final class AgentFiles {
  static final String LOCATION_PROPERTY = "colloquy.agents.location";
  static final String DEFAULT_LOCATION = "classpath:agents/";

  private AgentFiles() {
  }

  /** Returns the configured location, or the default. */
  static String location(Environment environment) {
    String location = environment.getProperty(LOCATION_PROPERTY, DEFAULT_LOCATION).strip();
    return location.endsWith("/") ? location : location + "/";
  }

  /**
   * Reads every {@code *.colloquy} file under the location, sub-folders included, sorted by path;
   * each named by its path below the location, as in {@code support.colloquy:7:9}. A missing
   * folder holds no files.
   */
  static List<Source> read(ResourceLoader resourceLoader, String location) {
    ResourcePatternResolver resolver = ResourcePatternUtils.getResourcePatternResolver(resourceLoader);
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
        String name = url.startsWith(rootUrl) ? url.substring(rootUrl.length()) : file.getFilename();
        sources.add(new Source(name, file.getContentAsString(StandardCharsets.UTF_8)));
      }
      sources.sort(Comparator.comparing(Source::name));
      return sources;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the agent definition files under " + location
          + " (" + LOCATION_PROPERTY + ")", e);
    }
  }
}
