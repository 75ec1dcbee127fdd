package dev.agenda.events.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

import com.jayway.jsonpath.JsonPath;

import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.EventContent;
import dev.agenda.events.domain.EventStatus;
import dev.agenda.events.event.EventDocument;
import dev.agenda.events.event.EventStore;
import dev.agenda.events.event.OutboxEntry;
import dev.agenda.events.support.EventsTopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.agenda.events.support.InfrastructureTest;
import dev.agenda.infra.LocalInfrastructure;
import dev.agenda.schemas.EventPublished;
import dev.agenda.support.observability.TraceContinuation;

/**
 * What the API stores and what goes on {@code agenda.events} never diverge, even across a broker outage (during
 * which the oldest-unsent-message gauge rises, and falls back to 0 once everything is out).
 */
class EventPublicationTest extends InfrastructureTest {

    private static EventsTopicReader topic;

    @Autowired
    MeterRegistry meters;

    @Autowired
    MongoTemplate mongo;

    @Autowired
    KafkaTemplate<?, ?> kafka;

    @Autowired
    ObjectProvider<TraceContinuation> tracing;

    @Autowired
    OutboxRelay relay;

    private double oldestUnsentSeconds() {
        return meters.get("agenda.outbox.oldest.unsent.age").gauge().value();
    }

    @BeforeAll
    static void readTopic() {
        topic = new EventsTopicReader();
    }

    @AfterAll
    static void stopReading() throws InterruptedException {
        topic.close();
    }

    static String event(String title) {
        return """
                {"title": "%s", "lead": "Un chapeau", "startsAt": "2030-05-25T14:00:00+02:00",
                 "endsAt": "2030-05-25T18:00:00+02:00", "venue": "Evénement 100%% en ligne",
                 "categories": ["Webinaire"], "tags": ["DesignGouv"],
                 "infos": [{"label": "Inscription", "content": "Gratuite", "link": "https://example.org/i"}]}
                """.formatted(title);
    }

    private String create(String title) throws Exception {
        MvcResult created = mvc.perform(post("/api/events?publish=true").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON).content(event(title)))
                .andExpect(status().isCreated()).andReturn();
        return JsonPath.read(created.getResponse().getContentAsString(), "$.id");
    }

    @Test
    void everyChangeIsPublishedOnceInRevisionOrderAndDeleteLeavesATombstone() throws Exception {
        String id = create("Cycle de vie complet");
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(id).contains(1L));
        EventPublished first = topic.values(id).get(0);
        assertThat(first.getStatus()).isEqualTo(dev.agenda.schemas.EventStatus.SCHEDULED);
        assertThat(first.getSlug()).isEqualTo("cycle-de-vie-complet");
        assertThat(first.getLocation().getOnline()).isTrue();
        assertThat(first.getInfos()).singleElement().satisfies(i -> assertThat(i.getLink()).isEqualTo(
                "https://example.org/i"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stored(id))
                .as("nothing waits any more, so the relay's index no longer holds it")
                .doesNotContainKey(EventDocument.PENDING_SINCE)
                .satisfies(d -> assertThat(((org.bson.Document) d).getList("outbox", Object.class)).isEmpty()));

        mvc.perform(put("/api/events/" + id).header(HttpHeaders.AUTHORIZATION, ADMIN).header("If-Match", "\"1\"")
                .contentType(MediaType.APPLICATION_JSON).content(event("Cycle de vie complet, nouvelle date")))
                .andExpect(status().isOk());
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(id).contains(2L));
        assertThat(topic.values(id).get(1).getTitle()).isEqualTo("Cycle de vie complet, nouvelle date");
        assertThat(topic.values(id).get(1).getSlug()).as("frozen once published").isEqualTo("cycle-de-vie-complet");

        mvc.perform(post("/api/events/" + id + "/cancel").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isOk());
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(id).contains(3L));
        assertThat(topic.values(id).get(2).getStatus()).isEqualTo(dev.agenda.schemas.EventStatus.CANCELLED);

        mvc.perform(delete("/api/events/" + id).header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isNoContent());
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(id).contains(-1L));
        assertThat(topic.revisions(id)).containsExactly(1L, 2L, 3L, -1L);
    }

    /**
     * A deleted event's document goes once its tombstone is out. Should that removal fail (a MongoDB blip, or the
     * instance dying right there), the document must still be found by a later round: released first, it left the
     * relay's index ({@code outboxPendingSince} removed with the outbox empty) and stayed in the collection for good.
     */
    @Test
    void aDeletedEventsDocumentGoesEvenWhenItsFirstRemovalFails() throws Exception {
        // The application's relay would take the tombstone first; this test's relays must be the ones that do.
        relay.stop();
        try {
            String id = create("Supprimé pendant un incident");
            mvc.perform(delete("/api/events/" + id).header(HttpHeaders.AUTHORIZATION, ADMIN))
                    .andExpect(status().isNoContent());
            RelayProperties shortLease = new RelayProperties(true, Duration.ofMillis(50), Duration.ofSeconds(1), 100);
            java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
            MongoTemplate removalFailsOnce = new MongoTemplate(mongo.getMongoDatabaseFactory(), mongo.getConverter()) {
                @Override
                public com.mongodb.client.result.DeleteResult remove(Query query, Class<?> entityClass) {
                    if (id.equals(query.getQueryObject().get("_id")) && failed.compareAndSet(false, true)) {
                        throw new org.springframework.dao.DataAccessResourceFailureException("connection reset");
                    }
                    return super.remove(query, entityClass);
                }
            };
            OutboxRelay interrupted = new OutboxRelay(removalFailsOnce, kafka, shortLease, new SimpleMeterRegistry(),
                    tracing);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                interrupted.relayOnce();
                return failed.get();
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(id).contains(-1L));

            OutboxRelay next = new OutboxRelay(mongo, kafka, shortLease, new SimpleMeterRegistry(), tracing);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
                next.relayOnce();
                return stored(id) == null;
            });
        } finally {
            relay.start();
        }
    }

    private org.bson.Document stored(String id) {
        return mongo.getCollection(EventDocument.COLLECTION).find(new org.bson.Document("_id", id)).first();
    }

    @Test
    void theRelayPollsAnIndexThatHoldsOnlyTheEventsWithMessagesWaiting() {
        assertThat(mongo.indexOps(EventDocument.class).getIndexInfo())
                .anySatisfy(index -> {
                    assertThat(index.getName()).isEqualTo("outbox_pending");
                    assertThat(index.isSparse()).isTrue();
                    assertThat(index.getIndexFields()).singleElement()
                            .satisfies(f -> assertThat(f.getKey()).isEqualTo(EventDocument.PENDING_SINCE));
                });
    }

    @Test
    void messagesLeftWaitingByAnEarlierVersionAreFoundAndPublished() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        EventContent content = new EventContent("Écrit par la version précédente", null, null, null, null, null,
                null, now.plus(Duration.ofDays(30)), null, null, null, null, false, null, null, null);
        Event event = new Event(UUID.randomUUID().toString(), "legacy-" + now.toEpochMilli(), EventStatus.PUBLISHED, 1,
                content, now, now, now);
        // As the previous version stored it: the message in the outbox, no outboxPendingSince.
        org.bson.Document legacy = new org.bson.Document();
        mongo.getConverter().write(new EventDocument(event.id(), event.slug(), event,
                List.of(new OutboxEntry(1, false, event, now.minusSeconds(5), null)), null, null, null, false), legacy);
        legacy.remove(EventDocument.PENDING_SINCE);
        mongo.getCollection(EventDocument.COLLECTION).insertOne(legacy);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> topic.revisions(event.id()).isEmpty());

        relay.markLegacyOutboxes();

        await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(event.id()).contains(1L));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stored(event.id()))
                .doesNotContainKey(EventDocument.PENDING_SINCE)
                .satisfies(d -> assertThat(((org.bson.Document) d).getList("outbox", Object.class)).isEmpty()));
    }

    /**
     * While nothing is published (Kafka down for long), an event edited again and again must not grow its document
     * towards MongoDB's 16 MB limit, each message holding a whole snapshot: the oldest waiting revisions, which the
     * later ones supersede, are dropped; the latest always goes out.
     */
    @Test
    void anEventEditedOftenWhileNothingIsPublishedKeepsOnlyItsLatestMessagesWaiting() throws Exception {
        String id = create("Modifié sans cesse");
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(id).contains(1L));
        int edits = EventStore.MAX_WAITING_MESSAGES + 5;
        relay.stop();
        try {
            for (int revision = 1; revision <= edits; revision++) {
                mvc.perform(put("/api/events/" + id).header(HttpHeaders.AUTHORIZATION, ADMIN)
                        .header("If-Match", "\"" + revision + "\"").contentType(MediaType.APPLICATION_JSON)
                        .content(event("Modifié sans cesse, version " + (revision + 1))))
                        .andExpect(status().isOk());
            }
            List<Long> waiting = stored(id).getList("outbox", org.bson.Document.class).stream()
                    .map(m -> ((Number) m.get("revision")).longValue()).toList();
            assertThat(waiting).containsExactlyElementsOf(java.util.stream.LongStream
                    .rangeClosed(edits + 2 - EventStore.MAX_WAITING_MESSAGES, edits + 1).boxed().toList());
        } finally {
            relay.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(id).contains((long) edits + 1));
        assertThat(topic.revisions(id)).first().isEqualTo(1L);
        assertThat(topic.revisions(id)).doesNotContain(2L).isSorted();
        assertThat(topic.values(id).get(topic.values(id).size() - 1).getTitle())
                .isEqualTo("Modifié sans cesse, version " + (edits + 1));
    }

    @Test
    void writesSucceedWhileTheBrokerIsDownAndEverythingGoesOutOnceInOrderWhenItReturns() throws Exception {
        // The producer knows the topic before the outage, as it would in production.
        String before = create("Avant la panne");
        await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(before).contains(1L));

        List<String> ids = new ArrayList<>();
        LocalInfrastructure.shared().kafka().stop();
        try {
            for (int i = 0; i < 100; i++) {
                ids.add(create("Pendant la panne " + i));
            }
            String updated = ids.get(0);
            mvc.perform(put("/api/events/" + updated).header(HttpHeaders.AUTHORIZATION, ADMIN)
                    .header("If-Match", "\"1\"").contentType(MediaType.APPLICATION_JSON)
                    .content(event("Pendant la panne, modifié"))).andExpect(status().isOk());
            await().atMost(Duration.ofSeconds(30)).until(() -> oldestUnsentSeconds() > 0);
        } finally {
            LocalInfrastructure.shared().kafka().start();
        }
        assertThat(ids).hasSize(100);

        await().atMost(Duration.ofSeconds(90)).until(() -> ids.stream().allMatch(id -> !topic.revisions(id).isEmpty()
                && topic.revisions(id).get(topic.revisions(id).size() - 1) == (id.equals(ids.get(0)) ? 2L : 1L)));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(topic.revisions(ids.get(0))).containsExactly(1L, 2L);
            for (String id : ids.subList(1, ids.size())) {
                assertThat(topic.revisions(id)).as(id).containsExactly(1L);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> oldestUnsentSeconds() == 0);
    }

    @Test
    void twoRelayInstancesNeverSendTheSameRevisionTwiceNorOutOfOrder() throws Exception {
        OutboxRelay second = new OutboxRelay(mongo, kafka,
                new RelayProperties(true, Duration.ofMillis(50), Duration.ofSeconds(30), 3), new SimpleMeterRegistry(),
                tracing);
        second.start();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                String id = create("Deux relais " + i);
                ids.add(id);
                mvc.perform(put("/api/events/" + id).header(HttpHeaders.AUTHORIZATION, ADMIN)
                        .header("If-Match", "\"1\"").contentType(MediaType.APPLICATION_JSON)
                        .content(event("Deux relais, modifié " + i))).andExpect(status().isOk());
                mvc.perform(post("/api/events/" + id + "/cancel").header(HttpHeaders.AUTHORIZATION, ADMIN))
                        .andExpect(status().isOk());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                    .allMatch(id -> topic.revisions(id).contains(3L)));
        } finally {
            second.stop();
        }
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String id : ids) {
                assertThat(topic.revisions(id)).as(id).containsExactly(1L, 2L, 3L);
            }
        });
    }

    @Test
    void aClaimLeftByACrashedInstanceIsTakenOverOnlyOnceItsLeaseHasExpired() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        EventContent content = new EventContent("Relais tombé", null, null, null, null, null, null,
                now.plus(Duration.ofDays(30)), null, null, null, null, false, null, null, null);
        Event expired = new Event(UUID.randomUUID().toString(), "crash-" + now.toEpochMilli(), EventStatus.PUBLISHED,
                1, content, now, now, now);
        Event leased = new Event(UUID.randomUUID().toString(), "leased-" + now.toEpochMilli(), EventStatus.PUBLISHED,
                1, content, now, now, now);
        // Another instance claimed both and stopped; one lease has run out, the other still holds.
        mongo.insert(new EventDocument(expired.id(), expired.slug(), expired,
                List.of(new OutboxEntry(1, false, expired, now, null)), null, now.minusSeconds(1), "crashed-instance",
                false));
        mongo.insert(new EventDocument(leased.id(), leased.slug(), leased,
                List.of(new OutboxEntry(1, false, leased, now, null)), null, now.plusSeconds(60), "busy-instance",
                false));

        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(expired.id()).contains(1L));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> topic.revisions(leased.id()).isEmpty());
        } finally {
            // Its message would otherwise wait a minute and skew the outbox-age gauge other tests check.
            mongo.remove(Query.query(Criteria.where("_id").is(leased.id())), EventDocument.class);
        }
    }

    @Test
    void aRecordTooLargeForKafkaIsParkedAndNeverBlocksTheOthers() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // Stored before the size rule existed (or by another path): 1.1 MB, above the producer's 1 MiB limit.
        EventContent huge = new EventContent("Trop gros", null, null, null, null, null, null,
                now.plus(Duration.ofDays(30)), null, null, null, null, false, null, null, "x".repeat(1_100_000));
        EventContent small = new EventContent("Juste après", null, null, null, null, null, null,
                now.plus(Duration.ofDays(30)), null, null, null, null, false, null, null, null);
        Event big = new Event(UUID.randomUUID().toString(), "huge-" + now.toEpochMilli(), EventStatus.PUBLISHED, 1,
                huge, now, now, now);
        Event after = new Event(UUID.randomUUID().toString(), "after-huge-" + now.toEpochMilli(),
                EventStatus.PUBLISHED, 1, small, now, now, now);
        double parkedBefore = meters.get("agenda.outbox.parked").counter().count();
        // Older, so that it is claimed first in the round, as it was claimed first in every round.
        mongo.insert(new EventDocument(big.id(), big.slug(), big,
                List.of(new OutboxEntry(1, false, big, now.minusMillis(1), null)), null, null, null, false));
        mongo.insert(new EventDocument(after.id(), after.slug(), after,
                List.of(new OutboxEntry(1, false, after, now, null)), null, null, null, false));

        await().atMost(Duration.ofSeconds(30)).until(() -> topic.revisions(after.id()).contains(1L));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            org.bson.Document stored = mongo.getCollection(EventDocument.COLLECTION)
                    .find(new org.bson.Document("_id", big.id())).first();
            assertThat(stored.getList("outbox", Object.class)).isEmpty();
            List<org.bson.Document> parked = stored.getList(OutboxRelay.PARKED, org.bson.Document.class);
            assertThat(parked).singleElement().satisfies(p -> {
                assertThat(p.get("revision", Number.class).longValue()).isEqualTo(1L);
                assertThat(p.getString("error")).contains("RecordTooLargeException");
                assertThat(p.get("snapshot")).as("kept, not lost").isNotNull();
            });
        });
        // Parked once, not retried every round.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> meters.get("agenda.outbox.parked").counter().count() == parkedBefore + 1);
        assertThat(topic.revisions(big.id())).isEmpty();
        assertThat(OutboxRelay.isPermanent(new org.apache.kafka.common.errors.SerializationException("registry down",
                new java.net.ConnectException("refused")))).as("an unreachable registry is retried").isFalse();
        assertThat(OutboxRelay.isPermanent(new java.util.concurrent.CompletionException(
                new org.apache.kafka.common.errors.SerializationException("bad datum", new NullPointerException()))))
                .isTrue();
        assertThat(OutboxRelay.isPermanent(new org.apache.kafka.common.errors.TimeoutException("no metadata")))
                .isFalse();
        mongo.remove(Query.query(Criteria.where("_id").is(big.id())), EventDocument.class);
    }

    /*
     * The relay publishes from its own thread, later; the record must still carry the trace of the admin's request
     * (W3C traceparent header), so the consumers' logs join the same trace.
     */
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
