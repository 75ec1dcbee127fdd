package dev.agenda.publishing;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.agenda.infra.LocalInfrastructure;
import dev.agenda.publishing.site.SitePublisher;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Topics;
import dev.agenda.schemas.serde.ConfluentAvroSerializer;

/**
 * Every integration test class shares this configuration, hence one Spring context (one listener in the group) for
 * the whole run, against the real local broker, registry and Mongo.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(GatedEventLog.Configuration.class)
public abstract class IntegrationTestBase {

    protected static final String ADMIN_PASSWORD = "admin-secret-for-tests";
    protected static final Path SITE_DIR = Path.of("target", "it-site-" + UUID.randomUUID()).toAbsolutePath();

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        LocalInfrastructure.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("agenda.site.output-dir", SITE_DIR::toString);
        registry.add("agenda.site.listing-refresh", () -> "1h");
        registry.add("agenda.security.admin-password", () -> ADMIN_PASSWORD);
        registry.add("spring.mongodb.database", () -> "agenda_site_it");
    }

    @Autowired
    protected SitePublisher publisher;

    @Autowired
    protected GatedEventLog eventLog;

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    private static KafkaProducer<String, EventPublished> producer;

    @BeforeEach
    void listenerAssigned() {
        for (MessageListenerContainer container : listeners.getListenerContainers()) {
            ContainerTestUtils.waitForAssignment(container, Topics.EVENTS.partitions());
        }
    }

    /** Sends as the event-service's relay does: key eventId, Confluent-wire Avro value, acks=all, idempotent. */
    protected static void send(String key, EventPublished value) {
        send(new ProducerRecord<>(Topics.EVENTS.name(), key, value));
    }

    protected static synchronized void send(ProducerRecord<String, EventPublished> record) {
        if (producer == null) {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfrastructure.shared().kafka().bootstrapServers());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put("schema.registry.url", LocalInfrastructure.shared().registry().confluentApiUrl());
            config.put("auto.register.schemas", true);
            ConfluentAvroSerializer<EventPublished> values = new ConfluentAvroSerializer<>();
            values.configure(Map.of("schema.registry.url", LocalInfrastructure.shared().registry().confluentApiUrl(),
                    "auto.register.schemas", true), false);
            producer = new KafkaProducer<>(config, new StringSerializer(), values);
        }
        try {
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Could not send " + record.key(), e);
        }
    }

    protected static void publish(EventPublished event) {
        send(event.getEventId(), event);
    }

    protected static void delete(String eventId) {
        send(eventId, null);
    }

    /** Waits until the publisher has applied this revision of the event (or its deletion). */
    protected void awaitApplied(String eventId, long revision, boolean deleted) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> {
            var last = publisher.status().lastChange();
            return last != null && last.eventId().equals(eventId) && last.revision() == revision
                    && deleted == last.kind().equals("DELETED");
        });
    }

    protected Path site() {
        return publisher.currentLink();
    }

    protected Path file(String relative) {
        return site().resolve(relative);
    }

    /** An upcoming event with every field filled, shaped as the event-service publishes it. */
    protected static EventPublished.Builder event(String slug, long revision) {
        Instant start = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        return EventPublished.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(slug.getBytes()).toString())
                .setRevision(revision)
                .setStatus(dev.agenda.schemas.EventStatus.SCHEDULED)
                .setSlug(slug)
                .setTitle("Titre " + slug)
                .setLead("Chapeau de " + slug)
                .setPrimaryCategory(null)
                .setCategories(java.util.List.of("Type " + slug))
                .setTags(java.util.List.of("Theme " + slug, "Design"))
                .setImages(java.util.List.of(dev.agenda.schemas.Image.newBuilder().setUrl("/uploads/" + slug + ".jpg")
                        .setAltText("Alt " + slug).setCaption("Légende " + slug).build()))
                .setStartsAt(start)
                .setEndsAt(start.plus(Duration.ofHours(2)))
                .setTimeZone("Europe/Paris")
                .setLocation(dev.agenda.schemas.Location.newBuilder().setName("Lieu " + slug)
                        .setAddress("20 avenue de Ségur, 75007 Paris").setOnline(false).setShowMap(false).build())
                .setAccess(java.util.List.of(dev.agenda.schemas.Access.newBuilder().setType("Métro")
                        .setLines(java.util.List.of("10", "13")).build()))
                .setInfos(java.util.List.of(
                        dev.agenda.schemas.InfoField.newBuilder().setLabel("Horaires").setContent("14h-16h")
                                .setLink(null).build(),
                        dev.agenda.schemas.InfoField.newBuilder().setLabel("Inscription").setContent("S'inscrire")
                                .setLink("https://www.eventbrite.fr/e/" + slug).build()))
                .setBody("## Programme\n\nCorps de **" + slug + "**.\n")
                .setFirstPublishedAt(Instant.parse("2024-01-01T10:00:00Z"))
                .setUpdatedAt(Instant.parse("2024-01-01T10:00:00Z").plusSeconds(revision));
    }
}
