package dev.agenda.events.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import com.jayway.jsonpath.JsonPath;

import dev.agenda.events.support.EventsTopicReader;
import dev.agenda.events.support.InfrastructureTest;

/**
 * The relay publishes from its own thread, later; the record must still carry the trace of the admin's request
 * (W3C {@code traceparent} header), so the consumers' logs join the same trace.
 */
class TracePropagationTest extends InfrastructureTest {

    private static EventsTopicReader topic;

    @BeforeAll
    static void readTopic() {
        topic = new EventsTopicReader();
    }

    @AfterAll
    static void stopReading() throws InterruptedException {
        topic.close();
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void everyRecordCarriesTheTraceIdOfTheRequestThatMadeTheChange() throws Exception {
        String createTrace = hex(16);
        String created = mvc.perform(post("/api/events?publish=true").header(HttpHeaders.AUTHORIZATION, ADMIN)
                        .header("traceparent", "00-" + createTrace + "-" + hex(8) + "-01")
                        .contentType(MediaType.APPLICATION_JSON).content(EventPublicationTest.event("Suivi de bout en bout")))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String id = JsonPath.read(created, "$.id");

        String deleteTrace = hex(16);
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(id).contains(1L));
        mvc.perform(delete("/api/events/" + id).header(HttpHeaders.AUTHORIZATION, ADMIN)
                        .header("traceparent", "00-" + deleteTrace + "-" + hex(8) + "-01"))
                .andExpect(status().isNoContent());
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(id).contains(-1L));

        assertThat(topic.traceParents(id)).hasSize(2);
        assertThat(topic.traceParents(id).get(0)).matches("00-" + createTrace + "-[0-9a-f]{16}-01");
        assertThat(topic.traceParents(id).get(1)).as("the tombstone too")
                .matches("00-" + deleteTrace + "-[0-9a-f]{16}-01");
    }
}
