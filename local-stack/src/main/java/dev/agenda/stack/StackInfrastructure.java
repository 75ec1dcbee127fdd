package dev.agenda.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.Locale;

import dev.agenda.infra.LocalKafka;
import dev.agenda.infra.LocalMongo;
import dev.agenda.infra.LocalSchemaRegistry;
import dev.agenda.infra.LocalSmtpSink;

/**
 * Kafka, MongoDB, the schema registry and the SMTP sink of the local stack, each in a child JVM, their data kept
 * under the data directory ({@code kafka/}, {@code mongodb/}, {@code registry/}) so a second start finds it again.
 */
public final class StackInfrastructure {

    private final StackConfig config;
    private final LocalKafka kafka;
    private final LocalMongo mongo;
    private final LocalSchemaRegistry registry;
    private final LocalSmtpSink smtp;

    public StackInfrastructure(StackConfig config) {
        this.config = config;
        StackConfig.Ports p = config.ports();
        var logs = config.logDir();
        var data = config.dataDir();
        this.kafka = new LocalKafka(data.resolve("kafka"), p.kafka(), p.kafkaController(), logs.resolve("kafka.log"));
        this.mongo = new LocalMongo(p.mongo(), data.resolve("mongodb").resolve("agenda.mv.db"),
                logs.resolve("mongodb.log"));
        this.registry = new LocalSchemaRegistry(p.registry(), data.resolve("registry"), logs.resolve("schema-registry.log"));
        this.smtp = new LocalSmtpSink(p.smtp(), p.inbox(), p.imap(), logs.resolve("smtp-sink.log"));
    }

    public void start() {
        start(line -> { });
    }

    /**
     * Starts the four components in parallel (a thread each: they mostly wait for a child to be ready); if one
     * fails, stops the others and throws its error. Reports one line per component ready to {@code progress}.
     */
    public void start(Consumer<String> progress) {
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "infra-start");
            t.setDaemon(true);
            return t;
        });
        List<CompletableFuture<Void>> starts = List.of(
                timed("kafka", kafka::start, kafka::pid, progress, executor),
                timed("mongodb", mongo::start, mongo::pid, progress, executor),
                timed("schema-registry", registry::start, registry::pid, progress, executor),
                timed("smtp-sink", smtp::start, smtp::pid, progress, executor));
        executor.shutdown();
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<Void> start : starts) {
            try {
                start.join();
            } catch (CompletionException e) {
                failures.add(e.getCause());
            }
        }
        if (!failures.isEmpty()) {
            stop();
            IllegalStateException error = new IllegalStateException(failures.get(0).getMessage(), failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    private CompletableFuture<Void> timed(String name, Runnable start, LongSupplier pid, Consumer<String> progress,
            ExecutorService executor) {
        return CompletableFuture.runAsync(() -> {
            long t0 = System.nanoTime();
            start.run();
            progress.accept(String.format(Locale.ROOT, "  %-21s ready in %5.1f s (pid %d, log %s)", name,
                    (System.nanoTime() - t0) / 1e9, pid.getAsLong(), config.logDir().resolve(name + ".log")));
        }, executor);
    }

    /** Stops all four (SIGTERM, so Kafka and the H2 stores flush), in parallel since none needs another to stop. */
    public void stop() {
        CompletableFuture.allOf(
                CompletableFuture.runAsync(smtp::stop),
                CompletableFuture.runAsync(registry::stop),
                CompletableFuture.runAsync(mongo::stop),
                CompletableFuture.runAsync(kafka::stop)).join();
    }

    /** Child process ids by component name (-1 when not running). */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("kafka", kafka.pid());
        pids.put("mongodb", mongo.pid());
        pids.put("schema-registry", registry.pid());
        pids.put("smtp-sink", smtp.pid());
        return pids;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String mongoUri() {
        return mongo.uri();
    }

    public String registryUrl() {
        return registry.baseUrl();
    }

    /** What a serializer is given as {@code schema.registry.url}. */
    public String registryConfluentUrl() {
        return registry.confluentApiUrl();
    }

    public int smtpPort() {
        return smtp.smtpPort();
    }

    public String inboxUrl() {
        return smtp.inboxUrl();
    }

    public int imapPort() {
        return smtp.imapPort();
    }

    public StackConfig config() {
        return config;
    }
}
