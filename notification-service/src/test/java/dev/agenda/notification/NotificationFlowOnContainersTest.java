package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.agenda.infra.LocalInfrastructure;
import dev.agenda.infra.containers.ContainerInfrastructure;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Topics;
import dev.agenda.schemas.serde.ConfluentAvroSerializer;

/**
 * Subscribe, confirm, announce once, against the production components in Docker (Apache Kafka, Confluent Schema
 * Registry, a MongoDB replica set); mail goes to the local GreenMail sink. Skipped where no Docker engine runs;
 * {@link NotificationFlowTest} runs the same journey, and more, against the local components everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "agenda.security.admin-password=test-admin-password",
        "agenda.notification.token-key=test-key-0123456789-0123456789-0123456789",
        // Not about the mailto; left on, it would poll the default 127.0.0.1:1143, a developer's local stack perhaps.
        "agenda.notification.unsubscribe-mailbox.enabled=false",
})
class NotificationFlowOnContainersTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void containers(DynamicPropertyRegistry registry) {
        ContainerInfrastructure.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<Map<String, Object>> awaitMessages(String email, int count) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> LocalInfrastructure.shared().smtp().messagesTo(email), l -> l.size() >= count);
    }

    @Test
    void subscribeConfirmAndReceiveExactlyOneAnnouncement() throws Exception {
        String category = IntegrationTestBase.unique("conteneurs");
        String email = IntegrationTestBase.unique("dana") + "@example.org";
        assertThat(post("/api/subscriptions", "application/json",
                "{\"email\":\"" + email + "\",\"categories\":[\"" + category + "\"],\"tags\":[]}").statusCode())
                .isEqualTo(202);
        String link = IntegrationTestBase.firstLink(IntegrationTestBase.text(awaitMessages(email, 1).get(0)),
                "/subscriptions/confirm");
        assertThat(post("/subscriptions/confirm", "application/x-www-form-urlencoded",
                "token=" + IntegrationTestBase.tokenOf(link)).statusCode()).isEqualTo(200);

        EventPublished event = IntegrationTestBase.event(UUID.randomUUID().toString(), "Atelier sur conteneurs",
                List.of(category), List.of()).build();
        ContainerInfrastructure infra = ContainerInfrastructure.shared();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", "schema.registry.url", infra.schemaRegistryUrl(),
                "auto.register.schemas", "true");
        ConfluentAvroSerializer<EventPublished> values = new ConfluentAvroSerializer<>();
        values.configure(config, false);
        try (KafkaProducer<String, EventPublished> producer = new KafkaProducer<>(config, new StringSerializer(),
                values)) {
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.getEventId(), event)).get(30,
                    TimeUnit.SECONDS);
            // A redelivery of the same record must not send a second email.
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.getEventId(), event)).get(30,
                    TimeUnit.SECONDS);
        }

        List<Map<String, Object>> mails = awaitMessages(email, 2);
        assertThat(mails.get(1).get("subject")).asString().contains("Atelier sur conteneurs");
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> LocalInfrastructure.shared().smtp().messagesTo(email).size() == 2);
    }
}
