package dev.agenda.support.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.client.MongoClient;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * A MongoDB that stops answering on an open connection (here a proxy that stops passing bytes on) makes an operation
 * fail as an outage after the read timeout, instead of holding its thread for good.
 */
class FrozenDatabaseTest {

    @Test
    void anOperationOnADatabaseThatStoppedAnsweringFailsAsAnOutageAfterTheReadTimeout() throws Exception {
        MongoServer server = new MongoServer(new MemoryBackend());
        try (FreezingProxy proxy = new FreezingProxy(server.bind())) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(MongoAutoConfiguration.class,
                            MongoTimeoutsAutoConfiguration.class))
                    .withPropertyValues("spring.mongodb.uri=mongodb://127.0.0.1:" + proxy.port() + "/test",
                            "agenda.mongo.read-timeout=1s")
                    .run(context -> {
                        var events = context.getBean(MongoClient.class).getDatabase("test").getCollection("events");
                        events.insertOne(new Document("_id", "e1"));

                        proxy.frozen = true;
                        Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(20),
                                () -> catchThrowable(() -> events.find(new Document("_id", "e1")).first()));

                        assertThat(failure).isInstanceOf(MongoSocketReadTimeoutException.class);
                        assertThat(DatabaseOutages.isUnavailable(failure)).isTrue();
                    });
        } finally {
            server.shutdownNow();
        }
    }

    /** Passes bytes both ways until frozen, then swallows them: a process stopped with its sockets still open. */
    private static final class FreezingProxy implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final java.net.InetSocketAddress target;
        volatile boolean frozen;

        FreezingProxy(java.net.InetSocketAddress target) throws IOException {
            this.target = target;
            daemon(this::accept);
        }

        int port() {
            return listener.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket client = listener.accept();
                    Socket upstream = new Socket(target.getAddress(), target.getPort());
                    pump(client.getInputStream(), upstream.getOutputStream());
                    pump(upstream.getInputStream(), client.getOutputStream());
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        private void pump(InputStream in, OutputStream out) {
            daemon(() -> {
                byte[] buffer = new byte[8192];
                try {
                    for (int n; (n = in.read(buffer)) >= 0;) {
                        if (!frozen) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException closed) {
                    // either side went away
                }
            });
        }

        private static void daemon(Runnable work) {
            Thread thread = new Thread(work, "freezing-proxy");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
