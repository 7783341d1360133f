package dev.colloquy.spring;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code colloquy.mcp.*}: MCP servers whose tools join the agents' tools (needs {@code
 * colloquy-mcp}). Each server is a process ({@code command}, {@code args}, {@code env}) or a
 * Streamable HTTP endpoint ({@code url}, {@code headers}).
 *
 * <pre>
 * colloquy.mcp.servers.files.command=npx
 * colloquy.mcp.servers.files.args=-y,@modelcontextprotocol/server-filesystem,/srv/docs
 * colloquy.mcp.servers.files.tools=read_text_file,list_directory
 * colloquy.mcp.servers.search.url=https://search.example.com/mcp
 * colloquy.mcp.servers.search.headers.Authorization=Bearer ${SEARCH_TOKEN}
 * </pre>
 */
public class McpProperties {

  /** The servers, by name (the name shows in messages). */
  private final Map<String, Server> servers = new LinkedHashMap<>();

  /** Returns the servers by name. */
  public Map<String, Server> getServers() {
    return servers;
  }

  // A URL without user info or query, either of which may carry a credential.
  static String shown(String url) {
    if (url == null) {
      return null;
    }
    URI uri = URI.create(url);
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /**
   * {@code colloquy.mcp.servers.<name>.*}: one server. Environment and header values are treated as
   * secrets: they never show in messages, logs or {@link #toString()}.
   */
  public static class Server {
    /** The program that runs the server over stdio, such as npx; or set url instead. */
    private String command;

    /** The program's arguments. */
    private List<String> args = new ArrayList<>();

    /** Environment variables added to the process (secret values, such as tokens). */
    private Map<String, String> env = new LinkedHashMap<>();

    /** The process's working directory; unset, the application's. */
    private Path workingDirectory;

    /** The Streamable HTTP endpoint, such as http://localhost:3001/mcp; or set command instead. */
    private String url;

    /** Headers of every HTTP request (secret values, such as Authorization). */
    private Map<String, String> headers = new LinkedHashMap<>();

    /**
     * The allow-list: the server's tools the agents get, by the server's names; empty, all of them.
     */
    private List<String> tools = new ArrayList<>();

    /** A prefix put before each tool's name, so that two servers' tools of one name can coexist. */
    private String toolNamePrefix = "";

    /** Whether every call of this server's tools needs the toolbox's approval callback. */
    private boolean requiresApproval;

    /** How long starting or reaching the server, initializing and listing its tools may take. */
    private Duration connectTimeout = Duration.ofSeconds(30);

    /** Returns the program. */
    public String getCommand() {
      return command;
    }

    /** Sets the program. */
    public void setCommand(String command) {
      this.command = command;
    }

    /** Returns the arguments. */
    public List<String> getArgs() {
      return args;
    }

    /** Sets the arguments. */
    public void setArgs(List<String> args) {
      this.args = new ArrayList<>(args);
    }

    /** Returns the environment variables. */
    public Map<String, String> getEnv() {
      return env;
    }

    /** Sets the environment variables. */
    public void setEnv(Map<String, String> env) {
      this.env = new LinkedHashMap<>(env);
    }

    /** Returns the working directory, or null. */
    public Path getWorkingDirectory() {
      return workingDirectory;
    }

    /** Sets the working directory. */
    public void setWorkingDirectory(Path workingDirectory) {
      this.workingDirectory = workingDirectory;
    }

    /** Returns the endpoint, or null. */
    public String getUrl() {
      return url;
    }

    /** Sets the endpoint; an absolute http or https URL. */
    public void setUrl(String url) {
      if (url != null) {
        URI uri;
        try {
          uri = URI.create(url);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("colloquy.mcp.servers.*.url is not a URL", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null) {
          throw new IllegalArgumentException(
              "colloquy.mcp.servers.*.url must be an absolute http or https URL");
        }
      }
      this.url = url;
    }

    /** Returns the headers. */
    public Map<String, String> getHeaders() {
      return headers;
    }

    /** Sets the headers. */
    public void setHeaders(Map<String, String> headers) {
      this.headers = new LinkedHashMap<>(headers);
    }

    /** Returns the allow-list. */
    public List<String> getTools() {
      return tools;
    }

    /** Sets the allow-list. */
    public void setTools(List<String> tools) {
      this.tools = new ArrayList<>(tools);
    }

    /** Returns the tool name prefix. */
    public String getToolNamePrefix() {
      return toolNamePrefix;
    }

    /** Sets the tool name prefix. */
    public void setToolNamePrefix(String toolNamePrefix) {
      this.toolNamePrefix = toolNamePrefix == null ? "" : toolNamePrefix;
    }

    /** Returns whether calls need approval. */
    public boolean isRequiresApproval() {
      return requiresApproval;
    }

    /** Sets whether calls need approval. */
    public void setRequiresApproval(boolean requiresApproval) {
      this.requiresApproval = requiresApproval;
    }

    /** Returns the connect timeout. */
    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    /** Sets the connect timeout; positive. */
    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout =
          ColloquyProperties.positive("colloquy.mcp.servers.*.connect-timeout", connectTimeout);
    }

    /** Shows the program or URL, and the names of the variables and headers, never their values. */
    @Override
    public String toString() {
      return "Server["
          + (command != null ? "command=" + command : "url=" + shown(url))
          + ", env="
          + new TreeSet<>(env.keySet())
          + ", headers="
          + new TreeSet<>(headers.keySet())
          + ", tools="
          + tools
          + "]";
    }
  }
}
