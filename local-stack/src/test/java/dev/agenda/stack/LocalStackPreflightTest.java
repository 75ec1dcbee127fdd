package dev.agenda.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.agenda.infra.Ports;

/** What the launcher checks before it starts anything, so a user gets one clear message instead of a stack trace. */
class LocalStackPreflightTest {

    @TempDir
    Path root;

    @Test
    void namesEachPortAlreadyTakenWithTheVariableThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.HOST))) {
            Map<String, String> env = Map.of("AGENDA_MONGO_PORT", Integer.toString(taken.getLocalPort()));
            StackConfig config = StackConfig.resolve(List.of("--root=" + root), env, new Properties());
            StackConfig free = new StackConfig(root, root.resolve("data"), freePorts(), false);

            assertThat(LocalStack.portConflicts(config))
                    .contains("port " + taken.getLocalPort() + " is already in use (set AGENDA_MONGO_PORT to use"
                            + " another one)");
            assertThat(LocalStack.portConflicts(free)).isEmpty();
        }
    }

    @Test
    void servicePortsDoNotMatterWithInfraOnly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.HOST))) {
            StackConfig.Ports p = freePorts();
            StackConfig.Ports ports = new StackConfig.Ports(p.kafka(), p.kafkaController(), p.mongo(), p.registry(),
                    p.smtp(), p.inbox(), taken.getLocalPort(), p.notificationService(), p.publishingService(),
                    p.imap());

            assertThat(LocalStack.portConflicts(new StackConfig(root, root, ports, true))).isEmpty();
            assertThat(LocalStack.portConflicts(new StackConfig(root, root, ports, false))).singleElement()
                    .asString().contains("AGENDA_EVENT_SERVICE_PORT");
        }
    }

    @Test
    void findsTheNewestExecutableJarOfAServiceAndSaysHowToBuildAMissingOne() throws Exception {
        assertThat(StackService.EVENT.jar(root)).isEmpty();
        assertThat(StackService.EVENT.missingJarMessage(root))
                .contains("event-service", "-exec.jar", "./run-local.sh", "-pl event-service -am");

        Path target = Files.createDirectories(root.resolve("event-service/target"));
        Files.createFile(target.resolve("agenda-event-service-0.1.0-SNAPSHOT.jar"));
        Path old = Files.createFile(target.resolve("agenda-event-service-0.0.9-exec.jar"));
        Path current = Files.createFile(target.resolve("agenda-event-service-0.1.0-SNAPSHOT-exec.jar"));
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(1_000));

        assertThat(StackService.EVENT.jar(root)).contains(current);
        assertThat(StackService.PUBLISHING.jar(root)).isEmpty();
    }

    private static StackConfig.Ports freePorts() {
        return new StackConfig.Ports(Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(),
                Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free());
    }
}
