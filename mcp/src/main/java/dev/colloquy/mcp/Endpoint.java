package dev.colloquy.mcp;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a client reaches its server: a process it starts (stdio), or a URL (Streamable HTTP). The
 * secret parts (environment values, header values) never appear in {@link #describe()} or {@link
 * #toString()}.
 */
sealed interface Endpoint {

  /** Returns what messages call the server's transport, with no secret in it. */
  String describe();

  /** Returns the values to redact from foreign text. */
  Redaction redaction();

  /**
   * A process the client starts and stops, speaking JSON-RPC over its standard input and output.
   *
   * @param command the program and its arguments
   * @param environment variables added to the process's environment (secret values)
   * @param directory the working directory; empty for the application's
   */
  record Stdio(List<String> command, Map<String, String> environment, Optional<Path> directory)
      implements Endpoint {
    public Stdio {
      command = List.copyOf(command);
      environment = Map.copyOf(environment);
    }

    @Override
    public String describe() {
      return "stdio `" + command.get(0) + "`";
    }

    @Override
    public Redaction redaction() {
      return Redaction.of(environment.values());
    }

    /** Shows the program, the number of arguments and the variables' names only. */
    @Override
    public String toString() {
      return "Stdio[command="
          + command.get(0)
          + " (+"
          + (command.size() - 1)
          + " arguments), environment="
          + new java.util.TreeSet<>(environment.keySet())
          + "]";
    }
  }

  /**
   * A Streamable HTTP endpoint.
   *
   * @param uri the endpoint, such as {@code http://localhost:3001/mcp}
   * @param headers headers sent with every request (secret values, such as {@code Authorization})
   */
  record Http(URI uri, Map<String, String> headers) implements Endpoint {
    public Http {
      headers = Map.copyOf(headers);
    }

    @Override
    public String describe() {
      // No user info and no query: either may carry a credential.
      return uri.getScheme()
          + "://"
          + uri.getHost()
          + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    @Override
    public Redaction redaction() {
      List<String> secrets = new java.util.ArrayList<>(headers.values());
      if (uri.getRawUserInfo() != null) {
        secrets.add(uri.getRawUserInfo());
      }
      if (uri.getRawQuery() != null) {
        secrets.add(uri.getRawQuery());
      }
      return Redaction.of(secrets);
    }

    /** Shows the endpoint without user info or query, and the headers' names only. */
    @Override
    public String toString() {
      return "Http[uri="
          + describe()
          + ", headers="
          + new java.util.TreeSet<>(headers.keySet())
          + "]";
    }
  }
}
