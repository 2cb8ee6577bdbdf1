package org.meshportal.catalog.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.meshportal.catalog.config.ConfigException;

/**
 * Command line: {@code java -jar catalog-backend.jar [--config FILE]... [--demo] [--demo-dir DIR]}.
 * Without any {@code --config} the built-in demo catalog is served.
 */
public final class Main {
  /** Held so the level set on it is not lost with a collected logger. */
  private static final java.util.logging.Logger LUCENE_VECTORIZATION =
      java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

  private Main() {}

  public static void main(String[] args) {
    defaultLogging();
    List<Path> configs = new ArrayList<>();
    boolean demo = false;
    Path demoDir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config", "-c" -> {
          if (i + 1 >= args.length) {
            fail("--config needs a file argument");
          }
          configs.add(Path.of(args[++i]));
        }
        case "--demo" -> demo = true;
        case "--demo-dir" -> {
          if (i + 1 >= args.length) {
            fail("--demo-dir needs a directory argument");
          }
          demoDir = Path.of(args[++i]);
        }
        case "--help", "-h" -> {
          System.out.println("usage: java -jar catalog-backend.jar [--config FILE]... [--demo] [--demo-dir DIR]");
          System.out.println("  --config FILE  app-config YAML; repeatable, later files win, ${ENV} substituted");
          System.out.println("  --demo         also serve the built-in demo catalog (the default without --config)");
          System.out.println("  --demo-dir DIR where the demo's catalog files and Git repository live (default: backend.dataDir);");
          System.out.println("                 replicas of one database that serve the demo share one");
          return;
        }
        default -> fail("unknown argument '" + args[i] + "' (try --help)");
      }
    }
    try {
      Application app = Application.start(configs, demo || configs.isEmpty(), demoDir, System::getenv);
      Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
    } catch (ConfigException e) {
      fail("configuration error: " + e.getMessage());
    }
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }

  /** slf4j-simple reads these once; explicit -D flags still win. */
  private static void defaultLogging() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "info"));
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty",
        System.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn"));
    System.setProperty("org.slf4j.simpleLogger.log.io.javalin",
        System.getProperty("org.slf4j.simpleLogger.log.io.javalin", "warn"));
    // Lucene warns at every start that the incubating vector module is not enabled; the server
    // does not use vector search, so the hint is noise.
    LUCENE_VECTORIZATION.setLevel(java.util.logging.Level.SEVERE);
  }
}
