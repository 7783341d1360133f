package dev.colloquy.mcp;

import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

/** One servlet at {@code /mcp} in an embedded Tomcat on a free port, async support on. */
final class EmbeddedTomcat implements AutoCloseable {
  // Held, so that the level stays: Tomcat logs every start and stop through JUL, and warns of
  // the SDK's shared Reactor threads as leaks of the web application.
  private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

  static {
    TOMCAT_LOG.setLevel(Level.SEVERE);
  }

  private final Tomcat tomcat = new Tomcat();
  private final int port;

  EmbeddedTomcat(HttpServlet servlet) throws IOException, LifecycleException {
    Path base = Files.createTempDirectory("colloquy-mcp-tomcat");
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(0);
    StandardContext context = (StandardContext) tomcat.addContext("", base.toString());
    // No leak detection on stop: it needs --add-opens and warns without it.
    context.setClearReferencesRmiTargets(false);
    context.setClearReferencesThreadLocals(false);
    Wrapper wrapper = Tomcat.addServlet(context, "mcp", servlet);
    wrapper.setAsyncSupported(true);
    context.addServletMappingDecoded("/mcp", "mcp");
    tomcat.getConnector();
    tomcat.start();
    port = tomcat.getConnector().getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port + "/mcp";
  }

  @Override
  public void close() throws LifecycleException {
    tomcat.stop();
    tomcat.destroy();
  }
}
