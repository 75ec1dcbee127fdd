package dev.agenda.infra;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {

    @Test
    void aChildWhoseThreadRunsOutOfMemoryExitsInsteadOfLingeringHalfDead(@TempDir Path dir) {
        ChildJvm child = ChildJvm.builder("oom")
                .mainClass(OutOfMemoryInAThread.class.getName())
                .jvmArgs("-Xmx32m", "-XX:+UseSerialGC")
                .logFile(dir.resolve("oom.log"))
                .build();
        try {
            child.start();
            // Without the exit, the main thread keeps the JVM alive forever after its worker died.
            await().atMost(Duration.ofSeconds(60)).until(() -> !child.isAlive());
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(dir.resolve("oom.log"))
                    .contains("Terminating due to java.lang.OutOfMemoryError"));
        } finally {
            child.kill();
        }
    }

    /** Like a server: a worker thread (the SMTP listener) fills the heap, the main thread waits for a stop. */
    public static final class OutOfMemoryInAThread {
        public static void main(String[] args) throws InterruptedException {
            Thread worker = new Thread(() -> {
                List<byte[]> kept = new ArrayList<>();
                while (true) {
                    kept.add(new byte[1 << 20]);
                }
            }, "worker");
            worker.start();
            new CountDownLatch(1).await();
        }
    }
}
