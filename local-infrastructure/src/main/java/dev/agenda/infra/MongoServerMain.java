package dev.agenda.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * mongo-java-server on 127.0.0.1: H2 file backend when a data file is given, so a second start finds the data again;
 * memory backend otherwise (tests). Its oplog stays off: no service uses change streams, and with it on every write
 * was copied into an oplog that is never trimmed (the heap of the tests' memory backend, the local stack's file).
 *
 * <p>Usage: {@code MongoServerMain <port> [<h2-file>]}
 */
public final class MongoServerMain {

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
        MongoServer server = new MongoServer(backend);
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
