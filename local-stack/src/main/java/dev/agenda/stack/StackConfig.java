package dev.agenda.stack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the stack lives and which ports it uses. Each setting comes from a system property {@code -Dagenda.<name>},
 * else from the environment variable {@code AGENDA_<NAME>}, else from its documented default; command-line flags win
 * over all of them.
 *
 * @param rootDir the project checkout: the modules' jars are looked up there
 * @param dataDir everything the stack keeps between starts (stores, logs, site, secrets)
 * @param infraOnly start Kafka, MongoDB, the registry and the SMTP sink, but no service
 */
public record StackConfig(Path rootDir, Path dataDir, Ports ports, boolean infraOnly) {

    public static final String HOST = dev.agenda.infra.Ports.HOST;

    /**
     * Every port of the stack.
     *
     * @param kafkaController the KRaft controller listener of the single Kafka node
     * @param inbox the SMTP sink's HTTP inbox (JSON)
     * @param imap the SMTP sink's IMAP server: the mailbox of the unsubscribe address, read by the notification service
     */
    public record Ports(int kafka, int kafkaController, int mongo, int registry, int smtp, int inbox,
            int eventService, int notificationService, int publishingService, int imap) {

        public static final Ports DEFAULTS = new Ports(9092, 9093, 27017, 8085, 2525, 8025, 8081, 8082, 8083, 1143);

        /** Each port with the variable that overrides it, for the help text and the conflict message. */
        public Map<String, Integer> byVariable() {
            Map<String, Integer> m = new java.util.LinkedHashMap<>();
            m.put("AGENDA_EVENT_SERVICE_PORT", eventService);
            m.put("AGENDA_NOTIFICATION_SERVICE_PORT", notificationService);
            m.put("AGENDA_PUBLISHING_SERVICE_PORT", publishingService);
            m.put("AGENDA_SMTP_PORT", smtp);
            m.put("AGENDA_INBOX_PORT", inbox);
            m.put("AGENDA_IMAP_PORT", imap);
            m.put("AGENDA_REGISTRY_PORT", registry);
            m.put("AGENDA_KAFKA_PORT", kafka);
            m.put("AGENDA_KAFKA_CONTROLLER_PORT", kafkaController);
            m.put("AGENDA_MONGO_PORT", mongo);
            return m;
        }
    }

    public static final String USAGE = """
            Usage: java -jar local-stack/target/agenda-local-stack.jar [--infra-only] [--data-dir=DIR] [--root=DIR]

              --infra-only    start Kafka, MongoDB, the schema registry and the SMTP sink only (no service)
              --data-dir=DIR  where data, logs, the generated site and secrets are kept (default: <root>/data)
              --root=DIR      the Agenda checkout holding the modules' jars (default: found from this jar)

            Ports (environment variable, or -Dagenda.<name> e.g. -Dagenda.kafka.port=19092):
              AGENDA_EVENT_SERVICE_PORT 8081, AGENDA_NOTIFICATION_SERVICE_PORT 8082,
              AGENDA_PUBLISHING_SERVICE_PORT 8083, AGENDA_SMTP_PORT 2525, AGENDA_INBOX_PORT 8025,
              AGENDA_IMAP_PORT 1143, AGENDA_REGISTRY_PORT 8085, AGENDA_KAFKA_PORT 9092, AGENDA_KAFKA_CONTROLLER_PORT 9093,
              AGENDA_MONGO_PORT 27017
            Secrets: AGENDA_ADMIN_PASSWORD (else generated once and kept in <data>/secrets.properties),
              AGENDA_TOKEN_KEY (same), AGENDA_UNSUBSCRIBE_MAILBOX_PASSWORD (the IMAP password of
              unsubscribe@agenda.localhost; default agenda-local).
            """;

    /** Thrown for a command line or setting the stack cannot use; the message is meant for the user. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    public static StackConfig resolve(List<String> args, Map<String, String> env, Properties system) {
        Settings settings = new Settings(env, system);
        Path root = null;
        Path data = null;
        boolean infraOnly = settings.flag("infra.only");
        List<String> unknown = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--infra-only")) {
                infraOnly = true;
            } else if (arg.startsWith("--data-dir=")) {
                data = Path.of(arg.substring("--data-dir=".length()));
            } else if (arg.startsWith("--root=")) {
                root = Path.of(arg.substring("--root=".length()));
            } else {
                unknown.add(arg);
            }
        }
        if (!unknown.isEmpty()) {
            throw new UsageException("unknown argument(s): " + String.join(" ", unknown));
        }
        if (root == null) {
            String configured = settings.get("home");
            root = configured != null ? Path.of(configured) : findRoot();
        }
        if (data == null) {
            String configured = settings.get("data.dir");
            data = configured != null ? Path.of(configured) : root.resolve("data");
        }
        Ports d = Ports.DEFAULTS;
        Ports ports = new Ports(
                settings.port("kafka.port", d.kafka()),
                settings.port("kafka.controller.port", d.kafkaController()),
                settings.port("mongo.port", d.mongo()),
                settings.port("registry.port", d.registry()),
                settings.port("smtp.port", d.smtp()),
                settings.port("inbox.port", d.inbox()),
                settings.port("event.service.port", d.eventService()),
                settings.port("notification.service.port", d.notificationService()),
                settings.port("publishing.service.port", d.publishingService()),
                settings.port("imap.port", d.imap()));
        return new StackConfig(root.toAbsolutePath().normalize(), data.toAbsolutePath().normalize(), ports,
                infraOnly);
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }

    public Path siteDir() {
        return dataDir.resolve("site");
    }

    /**
     * The checkout this launcher was built in: the first directory, from this class' location upwards, that holds
     * the modules (e.g. {@code local-stack/target/agenda-local-stack.jar} → the checkout), else the working
     * directory.
     */
    static Path findRoot() {
        try {
            Path here = Path.of(StackConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = here; dir != null; dir = dir.getParent()) {
                if (Files.isDirectory(dir.resolve("local-stack")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                    return dir;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall back to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    /** {@code -Dagenda.kafka.port} or {@code AGENDA_KAFKA_PORT}. */
    static final class Settings {
        private final Map<String, String> env;
        private final Properties system;

        Settings(Map<String, String> env, Properties system) {
            this.env = env;
            this.system = system;
        }

        String get(String name) {
            String value = system.getProperty("agenda." + name);
            if (value == null || value.isBlank()) {
                value = env.get(variable(name));
            }
            return value == null || value.isBlank() ? null : value.trim();
        }

        boolean flag(String name) {
            return Boolean.parseBoolean(get(name));
        }

        int port(String name, int defaultValue) {
            String value = get(name);
            if (value == null) {
                return defaultValue;
            }
            try {
                int port = Integer.parseInt(value);
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new UsageException(variable(name) + " (or -Dagenda." + name + ") must be a port number, not '"
                        + value + "'");
            }
        }

        static String variable(String name) {
            return "AGENDA_" + name.replace('.', '_').toUpperCase(java.util.Locale.ROOT);
        }
    }
}
