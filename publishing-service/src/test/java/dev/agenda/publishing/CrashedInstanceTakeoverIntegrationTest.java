package dev.agenda.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ConsumerFactory;

import dev.agenda.publishing.messaging.GroupMemberProcess;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Topics;

/**
 * A second instance killed with SIGKILL leaves no LeaveGroup behind: its partitions stay assigned to it until the
 * broker gives up on its heartbeats (the consumers' session timeout). Kafka's default, 45 s, kept the site frozen for
 * that long after a crash; the service's own timeout (application.yml) brings it to about ten seconds.
 */
class CrashedInstanceTakeoverIntegrationTest extends IntegrationTestBase {

    @Autowired
    private ConsumerFactory<?, ?> consumers;

    @Test
    void theEventsOfAnInstanceKilledMidwayReachTheSiteWellBeforeKafkasDefaultSessionTimeout() throws Exception {
        Path config = Files.createTempFile(Path.of("target"), "group-member-", ".properties");
        Properties properties = new Properties();
        consumers.getConfigurationProperties().forEach((key, value) -> properties.put(key, text(value)));
        try (Writer out = Files.newBufferedWriter(config)) {
            properties.store(out, "the service's consumer configuration");
        }
        Process member = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GroupMemberProcess.class.getName(), config.toString(),
                Topics.EVENTS.name()).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(member.getInputStream(),
                StandardCharsets.UTF_8)).lines().forEach(output::add), "group-member-output");
        reader.setDaemon(true);
        reader.start();
        int partition;
        try {
            partition = await("the second instance gets a partition").atMost(Duration.ofSeconds(60))
                    .until(() -> firstAssigned(output), p -> p >= 0);
        } finally {
            member.destroyForcibly().waitFor();
        }

        EventPublished event = event("apres-une-panne-franche", 1).build();
        send(new ProducerRecord<>(Topics.EVENTS.name(), partition, event.getEventId(), event));

        // Kafka's default session timeout alone is 45 s; the service's is 10 s, plus one rebalance.
        await("the event on the killed instance's partition is applied").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(file("agenda/apres-une-panne-franche/index.html")));
        assertThat(Files.readString(file("agenda/apres-une-panne-franche/index.html")))
                .contains("Titre apres-une-panne-franche");
    }

    /** The first partition of the member's latest non-empty assignment, -1 until it has one. */
    private static int firstAssigned(List<String> output) {
        for (int i = output.size() - 1; i >= 0; i--) {
            String line = output.get(i);
            if (line.startsWith("ASSIGNED [") && !line.equals("ASSIGNED []")) {
                return Integer.parseInt(line.substring("ASSIGNED [".length()).split("[,\\]]")[0].trim());
            }
        }
        return -1;
    }

    private static String text(Object value) {
        if (value instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return value instanceof Class<?> type ? type.getName() : String.valueOf(value);
    }
}
