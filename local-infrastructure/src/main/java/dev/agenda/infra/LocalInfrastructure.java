package dev.agenda.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The real local components for tests, started once per JVM (lazily, in parallel) on free ports with throw-away
 * data, and stopped when the JVM exits. A Spring test hands their addresses to its context with
 * {@code LocalInfrastructure.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v))} in a
 * {@code @DynamicPropertySource}.
 */
public final class LocalInfrastructure {

    private static LocalInfrastructure shared;

    private final Path workDir;
    private final LocalKafka kafka;
    private final LocalMongo mongo;
    private final LocalSchemaRegistry registry;
    private final LocalSmtpSink smtp;

    private LocalInfrastructure(Path workDir) {
        this.workDir = workDir;
        Path logs = workDir.resolve("logs");
        this.kafka = new LocalKafka(workDir.resolve("kafka"), Ports.free(), Ports.free(), logs.resolve("kafka.log"));
        this.mongo = new LocalMongo(Ports.free(), null, logs.resolve("mongodb.log"));
        this.registry = new LocalSchemaRegistry(Ports.free(), logs.resolve("schema-registry.log"));
        this.smtp = new LocalSmtpSink(Ports.free(), Ports.free(), logs.resolve("smtp-sink.log"));
    }

    /** Starts every component (once per JVM) and returns them. */
    public static synchronized LocalInfrastructure shared() {
        if (shared == null) {
            Path dir = workDirectory();
            LocalInfrastructure infra = new LocalInfrastructure(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(infra::stopAll, "local-infrastructure-shutdown"));
            infra.startAll();
            shared = infra;
        }
        return shared;
    }

    private static Path workDirectory() {
        try {
            Path target = Path.of("target");
            Path base = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
            return Files.createTempDirectory(base.toAbsolutePath(), "local-infra-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startAll() {
        CompletableFuture.allOf(
                CompletableFuture.runAsync(kafka::start),
                CompletableFuture.runAsync(mongo::start),
                CompletableFuture.runAsync(registry::start),
                CompletableFuture.runAsync(smtp::start)).join();
    }

    private void stopAll() {
        CompletableFuture.allOf(
                CompletableFuture.runAsync(smtp::stop),
                CompletableFuture.runAsync(registry::stop),
                CompletableFuture.runAsync(mongo::stop),
                CompletableFuture.runAsync(kafka::stop)).join();
    }

    public LocalKafka kafka() {
        return kafka;
    }

    public LocalMongo mongo() {
        return mongo;
    }

    public LocalSchemaRegistry registry() {
        return registry;
    }

    public LocalSmtpSink smtp() {
        return smtp;
    }

    public Path workDir() {
        return workDir;
    }

    /** Spring Boot property names and values pointing a service at these components. */
    public Map<String, String> springProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("spring.kafka.properties.schema.registry.url", registry.confluentApiUrl());
        p.put("spring.mongodb.uri", mongo.uri());
        p.put("spring.mail.host", Ports.HOST);
        p.put("spring.mail.port", Integer.toString(smtp.smtpPort()));
        p.put("agenda.test.mail-inbox-url", smtp.inboxUrl());
        return p;
    }
}
