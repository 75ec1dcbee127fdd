package dev.agenda.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;

/**
 * mongo-java-server on 127.0.0.1 with its oplog enabled (change streams need it): H2 file backend when a data file
 * is given, so a second start finds the data again; memory backend otherwise (tests).
 *
 * <p>The emulator copies every write into its oplog and never trims it, unlike MongoDB, whose oplog is capped: left
 * alone it grows the tests' heap and the local stack's file for as long as they run. Entries older than
 * {@value #OPLOG_RETENTION_PROPERTY} (default {@link #DEFAULT_OPLOG_RETENTION}) are removed every minute, so a change
 * stream can resume within that window, as within a MongoDB oplog's.
 *
 * <p>Usage: {@code MongoServerMain <port> [<h2-file>]}
 */
public final class MongoServerMain {

    /** How long the oplog keeps a write, as an ISO-8601 duration ({@code PT1H}). */
    public static final String OPLOG_RETENTION_PROPERTY = "agenda.local-mongo.oplog-retention";
    static final Duration DEFAULT_OPLOG_RETENTION = Duration.ofHours(1);

    private MongoServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        MongoBackend backend;
        if (args.length > 1) {
            Path file = Path.of(args[1]).toAbsolutePath();
            Files.createDirectories(file.getParent());
            backend = new H2Backend(file.toString());
        } else {
            backend = new MemoryBackend();
        }
        backend.enableOplog();
        Duration retention = Duration.parse(System.getProperty(OPLOG_RETENTION_PROPERTY,
                DEFAULT_OPLOG_RETENTION.toString()));
        ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "oplog-trim");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, Math.min(60_000, retention.toMillis() / 2));
        trimmer.scheduleWithFixedDelay(() -> trimOplog(backend, retention), every, every, TimeUnit.MILLISECONDS);
        MongoServer server = new MongoServer(backend);
        server.bind(Ports.HOST, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            trimmer.shutdownNow();
            // Closes the H2 store cleanly, so the next start does not have to recover it.
            server.shutdownNow();
            stopped.countDown();
        }, "mongo-shutdown"));
        System.out.println("mongo-java-server listening on " + Ports.HOST + ":" + port
                + (args.length > 1 ? " (H2 " + args[1] + ")" : " (memory)") + ", oplog kept " + retention);
        stopped.await();
    }

    /** Removes the oplog's entries older than {@code retention}; @return how many */
    static int trimOplog(MongoBackend backend, Duration retention) {
        try {
            MongoCollection<?> oplog = backend.resolveDatabase("local").resolveCollection("oplog.rs", false);
            if (oplog == null) {
                return 0;
            }
            Instant before = backend.getClock().instant().minus(retention);
            return oplog.deleteDocuments(new Document("wall", new Document("$lt", before)), 0);
        } catch (RuntimeException e) {
            // Tried again in a minute; the server goes on meanwhile.
            System.err.println("oplog trim failed: " + e);
            return 0;
        }
    }
}
