package dev.agenda.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import dev.agenda.infra.ChildJvm;
import dev.agenda.infra.LocalSmtpSink;

/** One of the three Spring Boot services, run from its fat jar in a child JVM under the launchers' watchdog. */
public enum StackService {

    EVENT("event-service") {
        @Override
        int port(StackConfig.Ports ports) {
            return ports.eventService();
        }
    },
    NOTIFICATION("notification-service") {
        @Override
        int port(StackConfig.Ports ports) {
            return ports.notificationService();
        }
    },
    PUBLISHING("publishing-service") {
        @Override
        int port(StackConfig.Ports ports) {
            return ports.publishingService();
        }
    };

    /**
     * Boot's launcher inside every fat jar. Run as a plain main class with the fat jar on the classpath, it finds
     * its archive from its own code source, so the watchdog (which needs its own class on the classpath) can sit in
     * front of it: the service still dies with the stack, even on {@code kill -9} of the launcher.
     */
    static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String module;

    StackService(String module) {
        this.module = module;
    }

    abstract int port(StackConfig.Ports ports);

    public String module() {
        return module;
    }

    public int port(StackConfig config) {
        return port(config.ports());
    }

    public String baseUrl(StackConfig config) {
        return "http://" + StackConfig.HOST + ":" + port(config);
    }

    /** The newest {@code <module>/target/agenda-<module>-*-exec.jar}, if the module has been built. */
    public Optional<Path> jar(Path rootDir) {
        Path target = rootDir.resolve(module).resolve("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith("agenda-" + module + "-") && name.endsWith("-exec.jar");
            }).filter(Files::isRegularFile).max(Comparator.comparing(StackService::modified));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** What to tell the user when the jar is missing. */
    public String missingJarMessage(Path rootDir) {
        return module + ": no " + module + "/target/agenda-" + module + "-<version>-exec.jar under " + rootDir
                + ". Build it with ./run-local.sh (builds what is missing) or: ./mvnw -B -DskipTests package -pl "
                + module + " -am";
    }

    /**
     * The settings handed to the service, written to {@code <data>/config/<module>.properties} (owner-only, since it
     * holds the admin password) and given as {@code --spring.config.additional-location}: they override the
     * service's own application.yml, stay out of {@code ps} output, and show a developer exactly what ran.
     */
    Map<String, String> settings(StackInfrastructure infra, StackSecrets secrets) {
        StackConfig config = infra.config();
        Map<String, String> s = new LinkedHashMap<>();
        s.put("server.port", Integer.toString(port(config)));
        s.put("server.address", StackConfig.HOST);
        s.put("spring.kafka.bootstrap-servers", infra.kafkaBootstrapServers());
        s.put("spring.kafka.properties.schema.registry.url", infra.registryConfluentUrl());
        s.put("spring.mongodb.uri", infra.mongoUri());
        s.put("spring.mail.host", StackConfig.HOST);
        s.put("spring.mail.port", Integer.toString(infra.smtpPort()));
        s.put("agenda.security.admin-password", secrets.adminPassword());
        String site = PUBLISHING.baseUrl(config);
        switch (this) {
            case PUBLISHING -> {
                s.put("agenda.site.output-dir", config.siteDir().toString());
                s.put("agenda.site.base-url", site);
                // The agenda's subscription form posts from the visitor's browser straight to the notification
                // service, so it must follow that service's port when it is moved.
                s.put("agenda.site.subscribe-url", NOTIFICATION.baseUrl(config) + "/api/subscriptions");
            }
            case NOTIFICATION -> {
                s.put("agenda.notification.token-key", secrets.tokenKey());
                s.put("agenda.notification.public-base-url", NOTIFICATION.baseUrl(config));
                s.put("agenda.notification.site-base-url", site);
                // The site as the stack prints it, and as typed by hand: both are the same preview server.
                s.put("agenda.notification.cors-origins",
                        site + "," + site.replace("//" + StackConfig.HOST + ":", "//localhost:"));
                // The sink's IMAP server holds what is sent to the List-Unsubscribe mailto: the service reads it.
                s.put("agenda.notification.unsubscribe-mailbox.enabled", "true");
                s.put("agenda.notification.unsubscribe-mailbox.protocol", "imap");
                s.put("agenda.notification.unsubscribe-mailbox.host", StackConfig.HOST);
                s.put("agenda.notification.unsubscribe-mailbox.port", Integer.toString(infra.imapPort()));
                s.put("agenda.notification.unsubscribe-mailbox.username", LocalSmtpSink.UNSUBSCRIBE_ADDRESS);
                s.put("agenda.notification.unsubscribe-mailbox.password", LocalSmtpSink.mailboxPassword());
            }
            case EVENT -> {
                // Everything it needs is above: Kafka, the registry, MongoDB and the admin password.
            }
        }
        return s;
    }

    ChildJvm childJvm(Path jar, StackInfrastructure infra, StackSecrets secrets) {
        StackConfig config = infra.config();
        Path settingsFile = writeSettings(config.dataDir().resolve("config").resolve(module + ".properties"),
                settings(infra, secrets));
        String health = baseUrl(config) + "/actuator/health";
        return ChildJvm.builder(module)
                .classpathWithLaunchers(List.of(jar))
                .mainClass(BOOT_LAUNCHER)
                .jvmArgs("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                        "-Dfile.encoding=UTF-8")
                .args("--spring.config.additional-location=file:" + settingsFile)
                .logFile(config.logDir().resolve(module + ".log"))
                .readyWhen(() -> isUp(health))
                .startTimeout(Duration.ofSeconds(300))
                .build();
    }

    static boolean isUp(String healthUrl) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(healthUrl)).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/json").GET().build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().replace(" ", "").contains("\"status\":\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path writeSettings(Path file, Map<String, String> settings) {
        Properties properties = new Properties();
        settings.forEach(properties::setProperty);
        return PrivateFiles.write(file, properties,
                "Written by the local stack launcher at each start; edits are overwritten.");
    }

    private static java.nio.file.attribute.FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }
}
