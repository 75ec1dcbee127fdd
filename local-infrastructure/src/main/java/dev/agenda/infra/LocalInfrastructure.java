package dev.agenda.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The real local components for tests, each started once per JVM on first use (all four in parallel when
 * {@link #springProperties()} asks for them), on free ports with throw-away data, and stopped when the JVM exits. A Spring test hands their addresses to its context with
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
    private boolean startedKafka;
    private boolean startedMongo;
    private boolean startedRegistry;
    private boolean startedSmtp;

    private LocalInfrastructure(Path workDir) {
        this.workDir = workDir;
        Path logs = workDir.resolve("logs");
        this.kafka = new LocalKafka(workDir.resolve("kafka"), Ports.free(), Ports.free(), logs.resolve("kafka.log"));
        this.mongo = new LocalMongo(Ports.free(), null, logs.resolve("mongodb.log"));
        this.registry = new LocalSchemaRegistry(Ports.free(), logs.resolve("schema-registry.log"));
        this.smtp = new LocalSmtpSink(Ports.free(), Ports.free(), Ports.free(), logs.resolve("smtp-sink.log"));
    }

    /** The components of this JVM; each starts when first asked for. */
    public static synchronized LocalInfrastructure shared() {
        if (shared == null) {
            LocalInfrastructure infra = new LocalInfrastructure(workDirectory());
            Runtime.getRuntime().addShutdownHook(new Thread(infra::stopAll, "local-infrastructure-shutdown"));
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

    /** Starts whatever is not running yet, in parallel. */
    public LocalInfrastructure startAll() {
        CompletableFuture.allOf(
                CompletableFuture.runAsync(this::kafka),
                CompletableFuture.runAsync(this::mongo),
                CompletableFuture.runAsync(this::registry),
                CompletableFuture.runAsync(this::smtp)).join();
        return this;
    }

    private void stopAll() {
        CompletableFuture.allOf(
                CompletableFuture.runAsync(smtp::stop),
                CompletableFuture.runAsync(registry::stop),
                CompletableFuture.runAsync(mongo::stop),
                CompletableFuture.runAsync(kafka::stop)).join();
    }

    /** Started once; a test that stopped it on purpose starts it again with {@code kafka().start()}. */
    public LocalKafka kafka() {
        synchronized (kafka) {
            if (!startedKafka) {
                kafka.start();
                startedKafka = true;
            }
        }
        return kafka;
    }

    public LocalMongo mongo() {
        synchronized (mongo) {
            if (!startedMongo) {
                mongo.start();
                startedMongo = true;
            }
        }
        return mongo;
    }

    public LocalSchemaRegistry registry() {
        synchronized (registry) {
            if (!startedRegistry) {
                registry.start();
                startedRegistry = true;
            }
        }
        return registry;
    }

    public LocalSmtpSink smtp() {
        synchronized (smtp) {
            if (!startedSmtp) {
                smtp.start();
                startedSmtp = true;
            }
        }
        return smtp;
    }

    public Path workDir() {
        return workDir;
    }

    /** Spring Boot property names and values pointing a service at these components. */
    public Map<String, String> springProperties() {
        startAll();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("spring.kafka.properties.schema.registry.url", registry.confluentApiUrl());
        p.put("spring.mongodb.uri", mongo.uri());
        p.putAll(mailProperties());
        return p;
    }

    /** Only the SMTP sink: for tests whose other components run elsewhere (in containers). */
    public Map<String, String> mailProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.mail.host", Ports.HOST);
        p.put("spring.mail.port", Integer.toString(smtp().smtpPort()));
        p.put("agenda.test.mail-inbox-url", smtp().inboxUrl());
        return p;
    }
}
