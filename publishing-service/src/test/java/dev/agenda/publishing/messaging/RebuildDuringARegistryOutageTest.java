package dev.agenda.publishing.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.agenda.publishing.IntegrationTestBase;
import dev.agenda.publishing.event.EventChange;
import dev.agenda.publishing.site.EventLog;
import dev.agenda.schemas.EventPublished;

/**
 * A rebuild reads the log with a deserializer of its own, whose schema cache starts empty: with the schema registry
 * down, every record failed to deserialize and was skipped as a bad one, and an empty site was swapped in and reported
 * a success. The replay now stops (the rebuild fails and the site served stays) instead.
 */
class RebuildDuringARegistryOutageTest extends IntegrationTestBase {

    @Autowired
    KafkaProperties kafka;

    @Test
    void aReplayThatCannotReachTheRegistryStopsInsteadOfSkippingEveryRecord() throws IOException {
        EventPublished event = event("avant-la-panne-du-registre", 1).build();
        publish(event);
        awaitApplied(event.getEventId(), 1, false);

        KafkaProperties registryDown = new KafkaProperties();
        registryDown.setBootstrapServers(kafka.getBootstrapServers());
        registryDown.getProperties().putAll(kafka.getProperties());
        registryDown.getProperties().put("schema.registry.url", "http://127.0.0.1:" + closedPort());
        List<EventChange> read = new ArrayList<>();
        try (EventLog.Replay replay = new KafkaEventLog(registryDown).replay()) {
            assertThatThrownBy(() -> replay.readToEnd(read::add))
                    .hasMessageContaining("schema registry is unavailable")
                    .hasMessageContaining("the site served stays");
        }
        assertThat(read).isEmpty();
        // With the registry up, the same replay reads the log.
        try (EventLog.Replay replay = new KafkaEventLog(kafka).replay()) {
            replay.readToEnd(read::add);
        }
        assertThat(read).extracting(EventChange::eventId).contains(event.getEventId());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
