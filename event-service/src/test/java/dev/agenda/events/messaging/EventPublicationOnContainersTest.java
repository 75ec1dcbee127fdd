package dev.agenda.events.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.Date;
import java.util.List;

import org.bson.Document;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.testcontainers.junit.jupiter.Testcontainers;

import com.jayway.jsonpath.JsonPath;

import dev.agenda.events.event.EventDocument;
import dev.agenda.events.support.EventsTopicReader;
import dev.agenda.events.support.InfrastructureTest;
import dev.agenda.infra.containers.ContainerInfrastructure;

/**
 * The publication flow against the production components in Docker (Apache Kafka, Confluent Schema Registry, a
 * MongoDB replica set). Skipped where no Docker engine runs; {@link EventPublicationTest} runs the same flow, and
 * more, against the local components everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(properties = "agenda.security.admin-password=" + InfrastructureTest.PASSWORD)
@AutoConfigureMockMvc
class EventPublicationOnContainersTest {

    private static EventsTopicReader topic;

    @Autowired
    MockMvc mvc;

    @Autowired
    MongoTemplate mongo;

    @DynamicPropertySource
    static void containers(DynamicPropertyRegistry registry) {
        ContainerInfrastructure.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @BeforeAll
    static void readTopic() {
        ContainerInfrastructure infra = ContainerInfrastructure.shared();
        topic = new EventsTopicReader(infra.kafkaBootstrapServers(), infra.schemaRegistryUrl());
    }

    @AfterAll
    static void stopReading() throws InterruptedException {
        if (topic != null) {
            topic.close();
        }
    }

    @Test
    void everyChangeIsPublishedOnceInRevisionOrderThroughConfluentSchemaRegistry() throws Exception {
        String created = mvc.perform(post("/api/events?publish=true")
                        .header(HttpHeaders.AUTHORIZATION, InfrastructureTest.ADMIN)
                        .contentType(MediaType.APPLICATION_JSON).content(EventPublicationTest.event("Sur conteneurs")))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String id = JsonPath.read(created, "$.id");
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(id).contains(1L));

        mvc.perform(put("/api/events/" + id).header(HttpHeaders.AUTHORIZATION, InfrastructureTest.ADMIN)
                        .header("If-Match", "\"1\"").contentType(MediaType.APPLICATION_JSON)
                        .content(EventPublicationTest.event("Sur conteneurs, nouvelle date")))
                .andExpect(status().isOk());
        mvc.perform(post("/api/events/" + id + "/cancel").header(HttpHeaders.AUTHORIZATION, InfrastructureTest.ADMIN))
                .andExpect(status().isOk());
        mvc.perform(delete("/api/events/" + id).header(HttpHeaders.AUTHORIZATION, InfrastructureTest.ADMIN))
                .andExpect(status().isNoContent());

        await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(id).contains(-1L));
        assertThat(topic.revisions(id)).containsExactly(1L, 2L, 3L, -1L);
        assertThat(topic.values(id).get(1).getTitle()).isEqualTo("Sur conteneurs, nouvelle date");
        assertThat(topic.values(id).get(2).getStatus()).isEqualTo(dev.agenda.schemas.EventStatus.CANCELLED);
    }

    /** mongo-java-server has no query planner to ask; a real MongoDB says whether the relay's poll scans the events. */
    @Test
    void theRelaysPollIsServedByItsIndex() {
        Document claim = new Document("find", EventDocument.COLLECTION)
                .append("filter", new Document(EventDocument.PENDING_SINCE, new Document("$exists", true))
                        .append("$or", List.of(new Document("outboxLease", null),
                                new Document("outboxLease", new Document("$lt", new Date())))))
                .append("sort", new Document(EventDocument.PENDING_SINCE, 1)).append("limit", 1);
        String plan = mongo.getDb().runCommand(new Document("explain", claim)).toJson();
        assertThat(plan).contains("IXSCAN").contains("outbox_pending").doesNotContain("COLLSCAN");
    }
}
