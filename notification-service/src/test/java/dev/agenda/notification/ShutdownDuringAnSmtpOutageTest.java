package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.agenda.notification.delivery.Delivery;
import dev.agenda.notification.delivery.DeliveryStatus;

/**
 * A rolling deploy during an SMTP outage: the instance holding a fan-out's deliveries (claimed, waiting out the
 * outage with backoff) is stopped gracefully, the SMTP server comes back, the next instance starts. Every recipient
 * gets exactly one email as soon as that instance can send, not once the stopped instance's claims expire.
 *
 * <p>The service runs in contexts of its own here (its own database and consumer groups, as the child JVM of
 * {@link CrashRecoveryTest}), closed the way SIGTERM closes one; the shared test context has no subscriber to send
 * to. Their lease is long (5 min, the sweep of abandoned deliveries after give-up-after + lease even later): only
 * deliveries given back at the stop can leave within the time this test allows.
 */
class ShutdownDuringAnSmtpOutageTest extends IntegrationTestBase {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDuringAnSmtpOutageTest.class);
    private static final int RECIPIENTS = 40;
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    @AfterEach
    void closeContexts() {
        started.forEach(ConfigurableApplicationContext::close);
        infra().smtp().startSmtp();
    }

    @Test
    void theDeliveriesOfAStoppedInstanceLeaveAsSoonAsTheNextOneStarts() throws Exception {
        OwnInstance instance = OwnInstance.withSubscribers("stop", RECIPIENTS);
        String domain = instance.domain();
        List<String> addresses = instance.addresses();
        try (MongoClient client = MongoClients.create(infra().mongo().uri())) {
            MongoTemplate db = new MongoTemplate(client, instance.database());

            ConfigurableApplicationContext first = start(instance);
            infra().smtp().stopSmtp();
            String eventId = UUID.randomUUID().toString();
            publish(event(eventId, "Arrêt pendant la panne", List.of(instance.category()), List.of()).build());
            // A batch into its retries: its first tries met the outage, the rest of it claimed and waiting. (Its own
            // consumer groups read the topics from the start: the other tests' orders are recorded SKIPPED here, no
            // subscriber of theirs in this database.)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> db.count(Query.query(Criteria.where("eventId").is(eventId).and("lastError")
                            .exists(true)), "deliveries") > 0);
            log.info("before the stop: {}", byStatus(db, eventId));

            Instant stopping = Instant.now();
            first.close();
            Duration stop = Duration.between(stopping, Instant.now());
            log.info("stopped in {} ms: {}", stop.toMillis(), byStatus(db, eventId));
            // What a rolling deploy allows an instance to stop: no longer than before, when spring-kafka gave up
            // waiting for the batch after its 10 s and the context closed under it.
            assertThat(stop).isLessThan(Duration.ofSeconds(10));
            // Nothing that reached COMMITTING can be among them: the server was down from the start.
            assertThat(SmtpOutageTest.received(domain)).isEmpty();

            infra().smtp().startSmtp();
            start(instance);
            Instant restarted = Instant.now();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                        .until(() -> SmtpOutageTest.received(domain).size() >= RECIPIENTS);
            } catch (ConditionTimeoutException e) {
                log.error("{} of {} recipients reached within a minute of the restart; records: {}",
                        SmtpOutageTest.received(domain).size(), RECIPIENTS, byStatus(db, eventId));
                throw e;
            }
            log.info("every recipient reached {} ms after the restart",
                    Duration.between(restarted, Instant.now()).toMillis());
            awaitConsumed(instance.deliveriesGroup(), "agenda.deliveries");

            Map<String, Long> copies = SmtpOutageTest.received(domain).stream()
                    .collect(Collectors.groupingBy(to -> to, Collectors.counting()));
            assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(addresses);
            assertThat(copies).allSatisfy((to, n) -> assertThat(n).as("emails to " + to).isEqualTo(1));
            await().atMost(Duration.ofSeconds(30)).until(() -> byStatus(db, eventId),
                    statuses -> statuses.equals(Map.of(DeliveryStatus.SENT, (long) RECIPIENTS)));
        }
    }

    private ConfigurableApplicationContext start(OwnInstance instance) {
        List<String> args = instance.args("--server.port=0",
                "--agenda.notification.smtp.lease=" + LEASE.toSeconds() + "s",
                "--spring.kafka.consumer.properties.metadata.max.age.ms=2000");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(NotificationServiceApplication.class)
                .run(args.toArray(String[]::new));
        started.add(context);
        return context;
    }

    /** The event's deliveries by status. */
    private static Map<DeliveryStatus, Long> byStatus(MongoTemplate db, String eventId) {
        return db.find(Query.query(Criteria.where("eventId").is(eventId)), Delivery.class, "deliveries").stream()
                .collect(Collectors.groupingBy(Delivery::status, Collectors.counting()));
    }
}
