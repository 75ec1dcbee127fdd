package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.agenda.infra.ChildJvm;
import dev.agenda.infra.Ports;
import dev.agenda.notification.delivery.Delivery;
import dev.agenda.notification.delivery.DeliveryStatus;

/**
 * A real crash: the service runs in a child JVM that is killed (SIGKILL, {@code Process.destroyForcibly}) in the
 * middle of a 1,000-recipient fan-out, while emails are in flight, then started again; every recipient then has
 * exactly one email in the sink. A second Spring context closed in-process would not do: closing a context is a
 * graceful stop (listeners finish their batch, offsets are committed, pools drain), which is exactly what a crash
 * does not give. The child has its own database and consumer groups, so the test's in-process context (which also
 * sees the topics) has no subscriber to send to.
 */
class CrashRecoveryTest extends IntegrationTestBase {

    private static final Logger log = LoggerFactory.getLogger(CrashRecoveryTest.class);
    private static final int RECIPIENTS = 1000;
    private static final int CONCURRENCY = 4;

    private ChildJvm child;

    @AfterEach
    void stopChild() {
        if (child != null) {
            child.kill();
        }
    }

    @Test
    void everyRecipientGetsOneEmailAfterACrashAndARestart() throws Exception {
        OwnInstance instance = OwnInstance.withSubscribers("crash", RECIPIENTS);
        String domain = instance.domain();
        String category = instance.category();
        List<String> addresses = instance.addresses();
        infra().smtp().clear();
        int port = Ports.free();
        child = childService(instance, port);
        child.start();
        String eventId = UUID.randomUUID().toString();
        publish(event(eventId, "Fan-out interrompu", List.of(category), List.of()).build());

        // The kill must land while emails are in flight (claimed, not yet settled), not between two batches: what
        // the database says just after the kill tells. If it did not, crash again a little later (each crash adds
        // to the test), at most three times.
        int crashes = 0;
        long inFlightAtKill = 0;
        try (MongoClient client = MongoClients.create(infra().mongo().uri())) {
            MongoTemplate db = new MongoTemplate(client, instance.database());
            while (inFlightAtKill == 0 && crashes < 3) {
                int target = 250 * (crashes + 1);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                        .until(() -> SmtpOutageTest.received(domain).size() >= target);
                child.kill();
                crashes++;
                inFlightAtKill = db.count(Query.query(Criteria.where("eventId").is(eventId).and("status").in(
                        DeliveryStatus.SENDING.name(), DeliveryStatus.COMMITTING.name())), "deliveries");
                int beforeCrash = SmtpOutageTest.received(domain).size();
                log.info("crash {}: killed the service after {} of {} emails, {} deliveries in flight", crashes,
                        beforeCrash, RECIPIENTS, inFlightAtKill);
                assertThat(beforeCrash).isLessThan(RECIPIENTS);
                child.start();
            }
            assertThat(inFlightAtKill).as("deliveries in flight when the service was killed").isPositive();

            try {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> Set.copyOf(SmtpOutageTest.received(domain)).size() >= RECIPIENTS);
            } catch (ConditionTimeoutException e) {
                // What the records say is what a failure here needs to be understood.
                log.error("not every recipient reached: {} distinct in the sink; records by status: {}",
                        Set.copyOf(SmtpOutageTest.received(domain)).size(), db.findAll(Delivery.class, "deliveries")
                                .stream().collect(Collectors.groupingBy(d -> d.status() + "/attempts=" + d.attempts(),
                                        Collectors.counting())));
                throw e;
            }
            awaitConsumed(instance.deliveriesGroup(), "agenda.deliveries");

            List<Map<String, Object>> messages = infra().smtp().messages().stream()
                    .filter(m -> String.valueOf(m.get("to")).contains("@" + domain)).toList();
            Map<String, Long> copies = messages.stream().collect(Collectors.groupingBy(
                    m -> String.valueOf(((List<?>) m.get("to")).get(0)), Collectors.counting()));
            log.info("after {} crash(es) and restarts: {} emails for {} recipients", crashes, messages.size(),
                    RECIPIENTS);
            // Exactly one email per recipient in the sink: not one Message-ID with copies, one message.
            assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(addresses);
            assertThat(copies).allSatisfy((to, n) -> assertThat(n).as("emails to " + to).isEqualTo(1));
            assertThat(messages).hasSize(RECIPIENTS);

            // Every record settled as delivered. A COMMITTING one is an email whose end of data was written before
            // the kill but whose SENT mark (written per batch) was not: it counts as sent, and its recipient has
            // its one email like everyone else (above). Its database also records the orders of the tests before it,
            // SKIPPED (see OwnInstance): the event's own records are the ones to count.
            List<Delivery> records = db.find(Query.query(Criteria.where("eventId").is(eventId)), Delivery.class,
                    "deliveries");
            assertThat(records).hasSize(RECIPIENTS)
                    .allMatch(d -> d.status() == DeliveryStatus.SENT || d.status() == DeliveryStatus.COMMITTING);
            long committing = records.stream().filter(d -> d.status() == DeliveryStatus.COMMITTING).count();
            log.info("{} deliveries taken over after a crash, {} left COMMITTING by one",
                    records.stream().filter(d -> d.attempts() > 1).count(), committing);
        }
    }

    private static ChildJvm childService(OwnInstance instance, int port) {
        List<String> args = instance.args(
                "--server.port=" + port,
                "--agenda.notification.smtp.concurrency=" + CONCURRENCY,
                "--agenda.notification.smtp.rate-per-second=200",
                "--agenda.notification.smtp.lease=5s",
                "--agenda.notification.smtp.max-backoff=1s",
                "--agenda.notification.fanout.lease=10s",
                // The killed instance's consumers stay group members until their session times out; keep the
                // rebalance after the restart short.
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000",
                "--agenda.notification.fanout.resume-interval=1s",
                "--logging.level.root=WARN",
                "--logging.level.dev.agenda=INFO");
        String health = "http://127.0.0.1:" + port + "/actuator/health";
        return ChildJvm.builder("notification-service-" + instance.run())
                .mainClass(NotificationServiceApplication.class.getName())
                .jvmArgs("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                .args(args)
                .logFile(Path.of("target", "crash-" + instance.run() + ".log").toAbsolutePath())
                .readyWhen(() -> answers(health))
                .startTimeout(Duration.ofSeconds(120))
                .build();
    }

    private static boolean answers(String url) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    static Function<Object, String> str() {
        return String::valueOf;
    }
}
