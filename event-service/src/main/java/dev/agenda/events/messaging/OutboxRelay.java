package dev.agenda.events.messaging;

import java.io.IOException;
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

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes the messages waiting inside event documents, at least once and in revision order per event.
 * <ol>
 * <li>Claim: a conditional findAndModify takes the event whose messages have waited longest
 * ({@code outboxPendingSince}, indexed) and are not leased by another instance (or whose lease has expired), and
 * stamps it with a lease and a claim token.</li>
 * <li>Send every pending message of the event, in revision order, keyed by eventId (one key, one partition; the
 * idempotent producer keeps their order).</li>
 * <li>Mark: remove the sent messages, only if the claim is still ours; a deleted event's document goes once its
 * tombstone is out.</li>
 * </ol>
 * A crash between send and mark sends the same revisions again later; consumers skip revisions they have applied.
 * Kafka down: sends fail after the producer's short timeouts, the claim is released, and the next round retries.
 * A record that can never go out as it is (larger than the producer's or broker's limit, not encodable) is parked:
 * moved with its error to the document's {@code outboxParked} list, logged at ERROR and counted
 * ({@code agenda.outbox.parked}); the event's later revisions and the other events of the round go on.
 */
@Component
class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final String OUTBOX = "outbox";
    private static final String LEASE = "outboxLease";
    private static final String CLAIM = "outboxClaim";
    private static final String PENDING_SINCE = EventDocument.PENDING_SINCE;
    static final String PARKED = "outboxParked";

    private final MongoTemplate mongo;
    private final KafkaTemplate<String, EventPublished> kafka;
    private final RelayProperties properties;
    private final TraceContinuation tracing;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong oldestPendingMillis = new AtomicLong(0);
    private final Counter parkedCount;
    private volatile boolean running;
    private boolean legacyOutboxesMarked;
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
        this.parkedCount = Counter.builder("agenda.outbox.parked")
                .description("Messages refused for good (too large, not encodable) and parked instead of retried")
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
                if (!legacyOutboxesMarked) {
                    markLegacyOutboxes();
                    legacyOutboxesMarked = true;
                }
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
            List<Parked> parked = new ArrayList<>(s.parked());
            RuntimeException transientFailure = null;
            for (Queued q : s.queued()) {
                try {
                    q.future().join();
                } catch (RuntimeException e) {
                    if (isPermanent(e)) {
                        // The broker refused this one record (e.g. larger than its message.max.bytes).
                        parked.add(new Parked(q.entry(), rootMessage(e)));
                    } else if (transientFailure == null) {
                        transientFailure = e;
                    }
                }
            }
            if (transientFailure != null) {
                allSent = false;
                log.warn("Could not publish event {} (revisions {}): {}; will retry", s.doc().id(),
                        s.doc().outbox().stream().map(OutboxEntry::revision).toList(), rootMessage(transientFailure));
                release(s.doc(), token);
            } else {
                markSent(s.doc(), token, parked);
            }
        }
        return allSent && claimed.size() == properties.batchSize();
    }

    /** Messages of one event handed to the producer, and those refused for good (which never will be). */
    private record Sending(EventDocument doc, List<Queued> queued, List<Parked> parked) {
    }

    private record Queued(OutboxEntry entry, CompletableFuture<?> future) {
    }

    private record Parked(OutboxEntry entry, String error) {
    }

    /**
     * Documents written before {@code outboxPendingSince} existed have messages waiting that the relay's query would
     * never find: gives them the field once, at start (a scan of the collection, once per start).
     */
    void markLegacyOutboxes() {
        Query legacy = Query.query(Criteria.where(OUTBOX + ".0").exists(true).and(PENDING_SINCE).exists(false));
        int marked = 0;
        for (EventDocument doc : mongo.find(legacy, EventDocument.class)) {
            Instant oldest = EventDocument.oldestMessage(doc.outbox());
            if (oldest != null) {
                mongo.updateFirst(Query.query(Criteria.where("_id").is(doc.id())),
                        new Update().min(PENDING_SINCE, oldest), EventDocument.class);
                marked++;
            }
        }
        if (marked > 0) {
            log.info("{} events with messages waiting from an earlier version are now in the relay's index", marked);
        }
    }

    private EventDocument claim(String token) {
        Instant now = Instant.now();
        // Oldest first, so a steady stream of new changes cannot starve an event that waits.
        Query query = Query.query(new Criteria().andOperator(
                Criteria.where(PENDING_SINCE).exists(true),
                new Criteria().orOperator(Criteria.where(LEASE).is(null), Criteria.where(LEASE).lt(now))))
                .with(Sort.by(Sort.Direction.ASC, PENDING_SINCE));
        Update update = new Update().set(LEASE, now.plus(properties.lease())).set(CLAIM, token);
        return mongo.findAndModify(query, update, FindAndModifyOptions.options().returnNew(true), EventDocument.class);
    }

    /**
     * Queues every pending message of the event; null when the producer refused one for a reason that concerns every
     * record (broker or registry unreachable). A record refused for its own content is parked, not retried.
     */
    private Sending send(EventDocument doc) {
        List<Queued> queued = new ArrayList<>();
        List<Parked> parked = new ArrayList<>();
        List<OutboxEntry> pending = doc.outbox().stream().sorted(Comparator.comparingLong(OutboxEntry::revision))
                .toList();
        for (OutboxEntry entry : pending) {
            EventPublished value;
            try {
                value = entry.tombstone() ? null : EventMessages.toEventPublished(entry.snapshot());
            } catch (RuntimeException e) {
                // The stored snapshot cannot be mapped at all: retrying cannot help.
                parked.add(new Parked(entry, rootMessage(e)));
                continue;
            }
            try {
                CompletableFuture<?> future = tracing == null ? kafka.send(Topics.EVENTS.name(), doc.id(), value)
                        // The template's observation then writes the request's trace into the record's headers.
                        : tracing.within(entry.traceParent(), "agenda.outbox.relay",
                                () -> kafka.send(Topics.EVENTS.name(), doc.id(), value));
                if (future.isCompletedExceptionally()) {
                    // The producer gave up at once: no metadata within max.block.ms (broker unreachable), or the
                    // record itself is refused (larger than max.request.size).
                    future.join();
                }
                queued.add(new Queued(entry, future));
            } catch (RuntimeException e) { // CompletionException from join() included
                if (isPermanent(e)) {
                    parked.add(new Parked(entry, rootMessage(e)));
                    continue;
                }
                // Registry down and metadata timeouts are thrown synchronously.
                log.warn("Could not queue event {} revision {}: {}; will retry", doc.id(), entry.revision(),
                        rootMessage(e));
                return null;
            }
        }
        return new Sending(doc, queued, parked);
    }

    /**
     * True when this record can never be published as it is: too large for the producer or the broker, or not
     * encodable with the schema. A registry that cannot be reached also surfaces as a SerializationException, but
     * with an I/O cause: that one concerns every record and passes.
     */
    static boolean isPermanent(Throwable e) {
        boolean serialization = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException) {
                return true;
            }
            if (t instanceof IOException) {
                return false;
            }
            serialization |= t instanceof SerializationException;
        }
        return serialization;
    }

    private void markSent(EventDocument doc, String token, List<Parked> parked) {
        long last = doc.outbox().stream().mapToLong(OutboxEntry::revision).max().orElse(0);
        Update update = new Update().pull(OUTBOX, new Document("revision", new Document("$lte", last)));
        Instant now = Instant.now();
        if (!parked.isEmpty()) {
            // Kept in the document (with the snapshot) so that nothing is lost and an admin can see why.
            update.push(PARKED).each(parked.stream().map(p -> {
                Document d = (Document) mongo.getConverter().convertToMongoType(p.entry());
                return d.append("error", p.error()).append("parkedAt", now);
            }).toArray());
        }
        EventDocument after = mongo.findAndModify(ours(doc, token), update,
                FindAndModifyOptions.options().returnNew(true), EventDocument.class);
        if (after == null) {
            log.warn("Claim on event {} was lost before marking revision {} sent; it will be sent again", doc.id(),
                    last);
            return;
        }
        for (Parked p : parked) {
            parkedCount.increment();
            log.error("Event {} revision {} can never be published as it is ({}); parked in its document's {} "
                    + "field, later revisions go on", doc.id(), p.entry().revision(), p.error(), PARKED);
        }
        // A deleted event's document goes once its tombstone is out, while the claim still holds it: should the
        // removal fail (or the instance stop here), it is still claimed and in the relay's index, and the next
        // holder removes it. Released before, a failure in between would leave it out of the index with nothing to
        // send: in the collection for good.
        if (after.deleted() && after.outbox().isEmpty() && mongo.remove(ours(after, token)
                .addCriteria(Criteria.where("deleted").is(true).and(OUTBOX).size(0)), EventDocument.class)
                .getDeletedCount() == 1) {
            return;
        }
        releaseAfterSending(after, token);
    }

    /**
     * Gives the claim back with {@code outboxPendingSince} telling what still waits: removed when the outbox is empty,
     * else the time of its oldest message. The API may push a message at any moment (and only lowers the field), so
     * the field is removed only on the condition that the outbox is still empty.
     */
    private void releaseAfterSending(EventDocument after, String token) {
        Update release = new Update().unset(LEASE).unset(CLAIM);
        if (after.outbox().isEmpty()
                && mongo.updateFirst(ours(after, token).addCriteria(Criteria.where(OUTBOX).size(0)),
                        release.unset(PENDING_SINCE), EventDocument.class).getModifiedCount() == 1) {
            return;
        }
        List<OutboxEntry> waiting = after.outbox();
        if (waiting.isEmpty()) {
            // A message came in between the two updates.
            EventDocument current = mongo.findOne(ours(after, token), EventDocument.class);
            if (current == null) {
                return;
            }
            waiting = current.outbox();
        }
        Instant oldest = EventDocument.oldestMessage(waiting);
        if (oldest == null) {
            // Unreachable while the claim holds, but if it were: the same condition as above, or a message pushed
            // meanwhile would be left without the field the relay finds it by.
            if (mongo.updateFirst(ours(after, token).addCriteria(Criteria.where(OUTBOX).size(0)),
                    release.unset(PENDING_SINCE), EventDocument.class).getModifiedCount() == 0) {
                release(after, token);
            }
        } else {
            mongo.updateFirst(ours(after, token), new Update().unset(LEASE).unset(CLAIM).set(PENDING_SINCE, oldest),
                    EventDocument.class);
        }
    }

    private static Query ours(EventDocument doc, String token) {
        return Query.query(Criteria.where("_id").is(doc.id()).and(CLAIM).is(token));
    }

    private void release(EventDocument doc, String token) {
        mongo.updateFirst(ours(doc, token), new Update().unset(LEASE).unset(CLAIM), EventDocument.class);
    }

    /** Updates the oldest-unsent-message gauge (read by the metrics endpoint without touching MongoDB). */
    void measure() {
        Query oldest = Query.query(Criteria.where(PENDING_SINCE).exists(true))
                .with(Sort.by(Sort.Direction.ASC, PENDING_SINCE)).limit(1);
        oldest.fields().include(PENDING_SINCE);
        Document doc = mongo.findOne(oldest, Document.class, EventDocument.COLLECTION);
        Object since = doc == null ? null : doc.get(PENDING_SINCE);
        oldestPendingMillis.set(since instanceof java.util.Date d
                ? Math.max(0, Duration.between(d.toInstant(), Instant.now()).toMillis()) : 0);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
