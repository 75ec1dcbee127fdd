package dev.agenda.events.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.agenda.events.event.EventDocument;
import dev.agenda.events.event.OutboxEntry;
import dev.agenda.events.event.OutboxWritten;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Topics;
import dev.agenda.support.observability.TraceContinuation;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes the messages waiting inside event documents, at least once and in revision order per event.
 * <ol>
 * <li>Claim: a conditional findAndModify takes an event whose messages are pending and not leased by another
 * instance (or whose lease has expired), and stamps it with a lease and a claim token.</li>
 * <li>Send every pending message of the event, in revision order, keyed by eventId (one key, one partition; the
 * idempotent producer keeps their order).</li>
 * <li>Mark: remove the sent messages, only if the claim is still ours; a deleted event's document goes once its
 * tombstone is out.</li>
 * </ol>
 * A crash between send and mark sends the same revisions again later; consumers skip revisions they have applied.
 * Kafka down: sends fail after the producer's short timeouts, the claim is released, and the next round retries.
 */
@Component
class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final String OUTBOX = "outbox";
    private static final String LEASE = "outboxLease";
    private static final String CLAIM = "outboxClaim";

    private final MongoTemplate mongo;
    private final KafkaTemplate<String, EventPublished> kafka;
    private final RelayProperties properties;
    private final TraceContinuation tracing;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong oldestPendingMillis = new AtomicLong(0);
    private volatile boolean running;
    private Thread thread;

    @SuppressWarnings("unchecked")
    OutboxRelay(MongoTemplate mongo, KafkaTemplate<?, ?> kafka, RelayProperties properties, MeterRegistry meters,
            ObjectProvider<TraceContinuation> tracing) {
        this.mongo = mongo;
        this.tracing = tracing.getIfAvailable();
        // Boot declares its template as KafkaTemplate<?, ?>; the serializers configured are String and our Avro one.
        this.kafka = (KafkaTemplate<String, EventPublished>) kafka;
        this.properties = properties;
        Gauge.builder("agenda.outbox.oldest.unsent.age", oldestPendingMillis, v -> v.get() / 1000.0)
                .description("Age of the oldest message written but not yet published to Kafka (0 when none)")
                .baseUnit("seconds")
                .register(meters);
    }

    @EventListener
    void onWrite(OutboxWritten written) {
        wake.release();
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            wake.release();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running) {
            boolean moreWork = false;
            try {
                moreWork = relayOnce();
                measure();
            } catch (RuntimeException e) {
                log.warn("Outbox relay round failed; retrying in {}", properties.pollInterval(), e);
            }
            if (!moreWork) {
                try {
                    wake.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One round: claim, send, mark. True when everything claimed went out and there may be more to do. */
    boolean relayOnce() {
        String token = UUID.randomUUID().toString();
        List<EventDocument> claimed = new ArrayList<>();
        for (int i = 0; i < properties.batchSize(); i++) {
            EventDocument doc;
            try {
                doc = claim(token);
            } catch (RuntimeException e) {
                // Send what is already claimed rather than leaving it leased until the lease expires.
                log.warn("Claiming pending messages failed; sending the {} already claimed", claimed.size(), e);
                break;
            }
            if (doc == null) {
                break;
            }
            claimed.add(doc);
        }
        if (claimed.isEmpty()) {
            return false;
        }
        List<Sending> sendings = new ArrayList<>();
        boolean allSent = true;
        for (EventDocument doc : claimed) {
            Sending sending = allSent ? send(doc) : null;
            if (sending == null) {
                // The producer could not even queue a record (no metadata, registry down): do not wait again
                // for each remaining event of the round.
                allSent = false;
                release(doc, token);
            } else {
                sendings.add(sending);
            }
        }
        for (Sending s : sendings) {
            try {
                CompletableFuture.allOf(s.futures().toArray(CompletableFuture[]::new)).join();
                markSent(s.doc(), token);
            } catch (RuntimeException e) {
                allSent = false;
                log.warn("Could not publish event {} (revisions {}): {}; will retry", s.doc().id(),
                        s.doc().outbox().stream().map(OutboxEntry::revision).toList(), rootMessage(e));
                release(s.doc(), token);
            }
        }
        return allSent && claimed.size() == properties.batchSize();
    }

    private record Sending(EventDocument doc, List<CompletableFuture<?>> futures) {
    }

    private EventDocument claim(String token) {
        Instant now = Instant.now();
        Query query = Query.query(new Criteria().andOperator(
                Criteria.where(OUTBOX + ".0").exists(true),
                new Criteria().orOperator(Criteria.where(LEASE).is(null), Criteria.where(LEASE).lt(now))));
        Update update = new Update().set(LEASE, now.plus(properties.lease())).set(CLAIM, token);
        return mongo.findAndModify(query, update, FindAndModifyOptions.options().returnNew(true), EventDocument.class);
    }

    /** Queues every pending message of the event; null when the producer refused one synchronously. */
    private Sending send(EventDocument doc) {
        List<CompletableFuture<?>> futures = new ArrayList<>();
        List<OutboxEntry> pending = doc.outbox().stream().sorted(Comparator.comparingLong(OutboxEntry::revision))
                .toList();
        for (OutboxEntry entry : pending) {
            try {
                EventPublished value = entry.tombstone() ? null : EventMessages.toEventPublished(entry.snapshot());
                CompletableFuture<?> future = tracing == null ? kafka.send(Topics.EVENTS.name(), doc.id(), value)
                        // The template's observation then writes the request's trace into the record's headers.
                        : tracing.within(entry.traceParent(), "agenda.outbox.relay",
                                () -> kafka.send(Topics.EVENTS.name(), doc.id(), value));
                if (future.isCompletedExceptionally()) {
                    // The producer waited max.block.ms for metadata and gave up: the broker is unreachable.
                    future.join();
                }
                futures.add(future);
            } catch (RuntimeException e) { // CompletionException from join() included
                // Serialization (registry down) and metadata timeouts are thrown synchronously.
                log.warn("Could not queue event {} revision {}: {}; will retry", doc.id(), entry.revision(),
                        rootMessage(e));
                return null;
            }
        }
        return new Sending(doc, futures);
    }

    private void markSent(EventDocument doc, String token) {
        long last = doc.outbox().stream().mapToLong(OutboxEntry::revision).max().orElse(0);
        Query ours = Query.query(Criteria.where("_id").is(doc.id()).and(CLAIM).is(token));
        Update update = new Update().pull(OUTBOX, new Document("revision", new Document("$lte", last)))
                .unset(LEASE).unset(CLAIM);
        if (mongo.updateFirst(ours, update, EventDocument.class).getModifiedCount() == 0) {
            log.warn("Claim on event {} was lost before marking revision {} sent; it will be sent again", doc.id(),
                    last);
            return;
        }
        if (doc.deleted()) {
            mongo.remove(Query.query(Criteria.where("_id").is(doc.id()).and("deleted").is(true)
                    .and(OUTBOX).size(0)), EventDocument.class);
        }
    }

    private void release(EventDocument doc, String token) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(doc.id()).and(CLAIM).is(token)),
                new Update().unset(LEASE).unset(CLAIM), EventDocument.class);
    }

    /** Updates the oldest-unsent-message gauge (read by the metrics endpoint without touching MongoDB). */
    void measure() {
        Query oldest = Query.query(Criteria.where(OUTBOX + ".0").exists(true))
                .with(Sort.by(Sort.Direction.ASC, OUTBOX + ".0.createdAt")).limit(1);
        EventDocument doc = mongo.findOne(oldest, EventDocument.class);
        oldestPendingMillis.set(doc == null || doc.outbox().isEmpty() ? 0
                : Math.max(0, Duration.between(doc.outbox().get(0).createdAt(), Instant.now()).toMillis()));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
