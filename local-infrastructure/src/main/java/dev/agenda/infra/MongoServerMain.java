package dev.agenda.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * mongo-java-server on 127.0.0.1 with its oplog enabled (change streams need it): H2 file backend when a data file
 * is given, so a second start finds the data again; memory backend otherwise (tests).
 *
 * <p>Usage: {@code MongoServerMain <port> [<h2-file>]}
 */
public final class MongoServerMain {

    private MongoServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        AbstractMongoBackend backend;
        if (args.length > 1) {
            Path file = Path.of(args[1]).toAbsolutePath();
            Files.createDirectories(file.getParent());
            backend = new H2Backend(file.toString());
        } else {
            backend = new MemoryBackend();
        }
        backend.enableOplog();
        MongoServer server = new MongoServer((MongoBackend) backend);
        server.bind(Ports.HOST, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Closes the H2 store cleanly, so the next start does not have to recover it.
            server.shutdownNow();
            stopped.countDown();
        }, "mongo-shutdown"));
        System.out.println("mongo-java-server listening on " + Ports.HOST + ":" + port
                + (args.length > 1 ? " (H2 " + args[1] + ")" : " (memory)"));
        stopped.await();
    }
}
