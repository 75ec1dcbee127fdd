package dev.agenda.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Topics;

/** The listener continues the trace the record carries, so the page's log line has the publication's trace id. */
@ExtendWith(OutputCaptureExtension.class)
class TraceContinuityIntegrationTest extends IntegrationTestBase {

    @Test
    void theLogOfApplyingAnEventCarriesTheTraceIdOfItsRecord(CapturedOutput output) {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        String traceId = HexFormat.of().formatHex(bytes);
        EventPublished event = event("suivi-de-trace", 1).build();
        ProducerRecord<String, EventPublished> record = new ProducerRecord<>(Topics.EVENTS.name(),
                event.getEventId(), event);
        record.headers().add("traceparent",
                ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));

        send(record);
        awaitApplied(event.getEventId(), 1, false);

        assertThat(output.getAll().lines().filter(line -> line.contains(event.getEventId())))
                .anySatisfy(line -> assertThat(line).contains(traceId));
    }
}
