package dev.colloquy.dsl.ast;

import java.util.List;
import java.util.Objects;

/** One setting inside {@code mcp name { ... }}. */
public sealed interface McpSetting {

  /**
   * {@code command "npx" "-y" "@modelcontextprotocol/server-everything"}: the server is a process
   * the application starts, speaking over its standard input and output.
   *
   * @param words the program, then its arguments
   */
  record Command(List<String> words) implements McpSetting {
    /** Validates and copies. */
    public Command {
      words = List.copyOf(words);
      if (words.isEmpty()) {
        throw new IllegalArgumentException("a command needs a program");
      }
    }
  }

  /**
   * {@code url "https://mcp.example.com/mcp"}: the server is reached over Streamable HTTP.
   *
   * @param url the endpoint
   */
  record Url(String url) implements McpSetting {
    /** Validates. */
    public Url {
      Objects.requireNonNull(url, "url");
    }
  }

  /**
   * {@code env GITHUB_TOKEN = github_token}: an environment variable of the server's process, whose
   * value is a declared secret's.
   *
   * @param variable the variable's name
   * @param secret the secret holding its value
   */
  record Environment(String variable, Name secret) implements McpSetting {
    /** Validates. */
    public Environment {
      Identifiers.check(variable, "environment variable");
      Objects.requireNonNull(secret, "secret");
    }
  }

  /**
   * {@code header "Authorization" = api_authorization}: a header of every HTTP request, whose value
   * is a declared secret's.
   *
   * @param header the header's name
   * @param secret the secret holding its value
   */
  record Header(String header, Name secret) implements McpSetting {
    /** Validates. */
    public Header {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(secret, "secret");
    }
  }

  /**
   * {@code tools "echo", "get-sum"}: the server's tools the agents may use, by the server's own
   * names (without it, all).
   *
   * @param names the tools' names
   */
  record Tools(List<String> names) implements McpSetting {
    /** Validates and copies. */
    public Tools {
      names = List.copyOf(names);
    }
  }
}
