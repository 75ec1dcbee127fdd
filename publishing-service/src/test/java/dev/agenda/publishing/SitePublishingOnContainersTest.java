package dev.agenda.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.agenda.infra.containers.ContainerInfrastructure;
import dev.agenda.publishing.site.SitePublisher;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;
import dev.agenda.schemas.Topics;
import dev.agenda.schemas.serde.ConfluentAvroSerializer;

/**
 * Publish, cancel and delete against the production components in Docker (Apache Kafka, Confluent Schema Registry,
 * a MongoDB replica set for the read model). Skipped where no Docker engine runs; {@link SitePublishingIntegrationTest}
 * runs the same flow, and more, against the local components everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SitePublishingOnContainersTest {

    private static final Path SITE_DIR = Path.of("target", "containers-site-" + UUID.randomUUID()).toAbsolutePath();
    private static KafkaProducer<String, EventPublished> producer;

    @Autowired
    SitePublisher publisher;

    @DynamicPropertySource
    static void containers(DynamicPropertyRegistry registry) {
        ContainerInfrastructure.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("agenda.site.output-dir", SITE_DIR::toString);
        registry.add("agenda.security.admin-password", () -> "admin-secret-for-container-tests");
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
        }
    }

    private static void send(String key, EventPublished value) throws Exception {
        if (producer == null) {
            ContainerInfrastructure infra = ContainerInfrastructure.shared();
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            ConfluentAvroSerializer<EventPublished> values = new ConfluentAvroSerializer<>();
            values.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl(), "auto.register.schemas", true),
                    false);
            producer = new KafkaProducer<>(config, new StringSerializer(), values);
        }
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), key, value)).get(30, TimeUnit.SECONDS);
    }

    private Path file(String relative) {
        return publisher.currentLink().resolve(relative);
    }

    @Test
    void publishCancelDeleteReachTheSite() throws Exception {
        String slug = "sur-conteneurs";
        EventPublished v1 = IntegrationTestBase.event(slug, 1).build();
        Path page = file("agenda/" + slug + "/index.html");

        send(v1.getEventId(), v1);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(page));
        assertThat(SiteChecks.validHtml(SiteChecks.read(page), "event page").select("h1").text())
                .isEqualTo("Titre sur-conteneurs");
        assertThat(SiteChecks.read(file("agenda/index.html"))).contains("Titre sur-conteneurs");

        send(v1.getEventId(), IntegrationTestBase.event(slug, 2).setStatus(EventStatus.CANCELLED).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> SiteChecks.read(page).contains("banner--cancelled"));

        send(v1.getEventId(), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(page));
        assertThat(SiteChecks.read(file("agenda/index.html"))).doesNotContain("Titre sur-conteneurs");
    }
}
