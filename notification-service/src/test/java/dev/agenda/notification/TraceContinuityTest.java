package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Topics;

/**
 * The publication's trace goes on through the fan-out: the decision, and the batch that sends the emails (a batch
 * listener, which spring-kafka does not observe), log under the trace id the EventPublished record carried.
 */
@ExtendWith(OutputCaptureExtension.class)
class TraceContinuityTest extends IntegrationTestBase {

    @Test
    void theAnnouncementAndItsEmailsAreLoggedInThePublicationsTrace(CapturedOutput output) throws Exception {
        String category = unique("trace");
        String email = unique("tess") + "@example.org";
        subscribeAndConfirm(email, List.of(category), List.of());

        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        String traceId = HexFormat.of().formatHex(bytes);
        EventPublished event = event(UUID.randomUUID().toString(), "Atelier tracé", List.of(category), List.of())
                .build();
        ProducerRecord<String, EventPublished> record = new ProducerRecord<>(Topics.EVENTS.name(),
                event.getEventId(), event);
        record.headers().add("traceparent",
                ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
        publish(record);

        awaitMessages(email, 2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> lines = output.getAll().lines().filter(l -> l.contains(event.getEventId())).toList();
            assertThat(lines).as("the decision").anyMatch(l -> l.contains("ANNOUNCEMENT") && l.contains(traceId));
            assertThat(lines).as("the delivery batch")
                    .anyMatch(l -> l.contains("accepted by the SMTP server") && l.contains(traceId));
        });
    }
}
