package dev.agenda.notification.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;

import org.bson.Document;

import com.mongodb.WriteConcern;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import dev.agenda.notification.event.NoticeKind;
import jakarta.annotation.PostConstruct;

/** Delivery records in MongoDB; each state change is a conditional update, so two senders cannot both send. */
@Component
public class DeliveryStore {

    static final String COLLECTION = "deliveries";
    /** The revision of the event the email showed (it shows the state of its attempt, not of its order). */
    private static final String SHOWN_REVISION = "shownRevision";
    private static final int MAX_ERROR = 500;
    /** States in which the email is (or, for COMMITTING, is taken to be) with the SMTP server. */
    private static final List<DeliveryStatus> DELIVERED = List.of(DeliveryStatus.SENT, DeliveryStatus.COMMITTING);

    /** Prefix of the placeholder that replaces an erased subscriber's id in their records. */
    private static final String ERASED = "erased-";

    /** Whether a record's subscriber id is the placeholder of an erased subscriber (nobody to send anything to). */
    public static boolean isErased(String subscriberId) {
        return subscriberId.startsWith(ERASED);
    }

    /** Why an announcement is SKIPPED when its event is cancelled (or over) by the time it is due to leave. */
    public static final String ANNOUNCEMENT_TOO_LATE = "event cancelled or over before the announcement went out";

    private final MongoTemplate mongo;

    DeliveryStore(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @PostConstruct
    void indexes() {
        var ops = mongo.indexOps(COLLECTION);
        ops.createIndex(new Index().on("eventId", Sort.Direction.ASC).on("kind", Sort.Direction.ASC)
                .on("subscriberId", Sort.Direction.ASC).on("noticeRevision", Sort.Direction.ASC).unique());
        ops.createIndex(new Index().on("subscriberId", Sort.Direction.ASC));
        // The sweep for abandoned records (see DeliveryService): few match, so it must not read the whole log.
        ops.createIndex(new Index().on("status", Sort.Direction.ASC).on("updatedAt", Sort.Direction.ASC));
        // Every state change is a query on exactly (_id, status). MongoDB would use _id alone; mongo-java-server
        // (the local stack) only uses an index whose keys are exactly the query's, and would otherwise scan the
        // whole collection on each of the two updates per email.
        ops.createIndex(new Index().on("_id", Sort.Direction.ASC).on("status", Sort.Direction.ASC).unique());
        ops.createIndex(new Index().on("_id", Sort.Direction.ASC).on("status", Sort.Direction.ASC)
                .on("attempts", Sort.Direction.ASC).unique());
    }

    /** The record of this order: inserted PENDING the first time, as it is afterwards. */
    public Delivery insertOrLoad(DeliveryOrder order, Instant now) {
        Delivery fresh = new Delivery(order.deliveryId(), order.eventId(), order.kind(), order.revision(),
                DeliveryOrder.noticeRevision(order.kind(), order.revision()), order.subscriberId(),
                DeliveryStatus.PENDING, 0, null, now, now, null, null);
        try {
            mongo.insert(fresh, COLLECTION);
            return fresh;
        } catch (DuplicateKeyException exists) {
            Delivery existing = mongo.findById(order.deliveryId(), Delivery.class, COLLECTION);
            if (existing == null) {
                // Same (eventId, kind, subscriberId, noticeRevision) under another id can only be an erased
                // subscriber's anonymised record: nothing to send.
                throw new IllegalStateException("delivery " + order.deliveryId() + " conflicts with another record");
            }
            return existing;
        }
    }

    /**
     * The records of these orders, inserting the missing ones PENDING, in two round trips whatever the batch size
     * (a fan-out delivers thousands of them).
     */
    /** MongoDB's error code for a write refused by a unique index. */
    private static final int DUPLICATE_KEY = 11000;

    public Map<String, Delivery> insertOrLoadAll(List<DeliveryOrder> orders, Instant now) {
        List<Delivery> fresh = orders.stream().map(o -> new Delivery(o.deliveryId(), o.eventId(), o.kind(),
                o.revision(), DeliveryOrder.noticeRevision(o.kind(), o.revision()), o.subscriberId(),
                DeliveryStatus.PENDING, 0, null, now, now, null, null)).toList();
        try {
            mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Delivery.class, COLLECTION).insert(fresh).execute();
        } catch (BulkOperationException someFailed) {
            // Redelivered orders: their records exist and win; the others were inserted (unordered bulk). Anything
            // but a duplicate key is a real failure, not a redelivery.
            if (someFailed.getErrors().stream().anyMatch(error -> error.getCode() != DUPLICATE_KEY)) {
                throw someFailed;
            }
        } catch (DuplicateKeyException someExisted) {
            // The same, reported by a driver or store as one error.
        }
        Map<String, Delivery> byId = new HashMap<>();
        mongo.find(Query.query(Criteria.where("_id").in(orders.stream().map(DeliveryOrder::deliveryId).toList())),
                Delivery.class, COLLECTION).forEach(d -> byId.put(d.id(), d));
        // A store that stops an unordered bulk at the first duplicate would leave some out: insert those one by one.
        orders.stream().filter(o -> !byId.containsKey(o.deliveryId()))
                .forEach(o -> byId.put(o.deliveryId(), insertOrLoad(o, now)));
        return byId;
    }

    /** Removes every record of these events (see the delivery log retention). @return how many */
    public long removeOfEvents(Collection<String> eventIds) {
        return mongo.remove(Query.query(Criteria.where("eventId").in(eventIds)), COLLECTION).getDeletedCount();
    }

    /**
     * Those of these deliveries that were received (SENT or COMMITTING), each with the revision of the event its email
     * showed (0 for records written before that was kept).
     */
    public Map<String, Long> shownAmong(Collection<String> ids) {
        // By _id alone, the status tested here: see claimAll.
        Query query = Query.query(Criteria.where("_id").in(ids));
        query.fields().include("_id").include("status").include(SHOWN_REVISION);
        return mongo.find(query, Document.class, COLLECTION).stream()
                .filter(d -> DELIVERED.stream().anyMatch(s -> s.name().equals(d.getString("status"))))
                .collect(Collectors.toMap(
                d -> d.getString("_id"), d -> d.get(SHOWN_REVISION) instanceof Number n ? n.longValue() : 0L));
    }

    public Optional<Delivery> find(String id) {
        return Optional.ofNullable(mongo.findById(id, Delivery.class, COLLECTION));
    }

    /**
     * PENDING → SENDING until now + lease, for all of these that are PENDING, in two round trips: the claims of a
     * batch. Each claimed record's attempts (incremented) is its fence, as with {@link #claim}.
     */
    public Map<String, Delivery> claimAll(Collection<String> ids, Instant now, Duration lease) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String token = UUID.randomUUID().toString();
        // One update per record by exactly (_id, status), and the read by _id alone, filtered here: any other field
        // next to an _id $in makes mongo-java-server (the local stack) test every record of the log against every
        // id of the batch, 10 million comparisons per claim with a log of 20,000 and a batch of 500, the fan-out's
        // largest cost. MongoDB serves both forms from the _id index; the bulk is still one round trip.
        Update claim = new Update().set("status", DeliveryStatus.SENDING).set("leaseUntil", now.plus(lease))
                .set("updatedAt", now).set("claim", token).inc("attempts", 1);
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, COLLECTION);
        ids.forEach(id -> bulk.updateOne(Query.query(Criteria.where("_id").is(id).and("status")
                .is(DeliveryStatus.PENDING)), claim));
        bulk.execute();
        Map<String, Delivery> claimed = new HashMap<>();
        for (Document record : mongo.find(Query.query(Criteria.where("_id").in(ids)), Document.class, COLLECTION)) {
            if (token.equals(record.getString("claim"))
                    && DeliveryStatus.SENDING.name().equals(record.getString("status"))) {
                Delivery delivery = mongo.getConverter().read(Delivery.class, record);
                claimed.put(delivery.id(), delivery);
            }
        }
        return claimed;
    }

    /** Extends this claim's lease to now + lease; empty if the claim is no longer this one. */
    public Optional<Delivery> renew(Delivery claimed, Instant now, Duration lease) {
        return Optional.ofNullable(mongo.findAndModify(held(claimed), new Update().set("leaseUntil", now.plus(lease))
                .set("updatedAt", now), FindAndModifyOptions.options().returnNew(true), Delivery.class, COLLECTION));
    }

    /** PENDING (or SENDING with an expired lease) → SENDING until now + lease; empty if someone else holds it. */
    public Optional<Delivery> claim(String id, Instant now, Duration lease) {
        // unset("claim"): the token of an earlier bulk claim must not designate this new one.
        Update update = new Update().set("status", DeliveryStatus.SENDING).set("leaseUntil", now.plus(lease))
                .set("updatedAt", now).inc("attempts", 1).unset("claim");
        FindAndModifyOptions returnNew = FindAndModifyOptions.options().returnNew(true);
        Delivery claimed = mongo.findAndModify(
                Query.query(Criteria.where("_id").is(id).and("status").is(DeliveryStatus.PENDING)), update, returnNew,
                Delivery.class, COLLECTION);
        if (claimed == null) {
            // Left SENDING by a sender that crashed (or is slow): take it over once its lease has expired.
            claimed = mongo.findAndModify(Query.query(Criteria.where("_id").is(id).and("status")
                    .is(DeliveryStatus.SENDING).and("leaseUntil").lt(now)), update, returnNew, Delivery.class,
                    COLLECTION);
        }
        return Optional.ofNullable(claimed);
    }

    /**
     * SENDING (held by this claim) → COMMITTING, write concern majority, with the event revision the email shows.
     * {@code justBeforeSending} runs on this thread once the update is encoded and just before it is written to
     * MongoDB's socket (see
     * {@link CommitMarkListener}): the SMTP end-of-data mark goes out there, so that a crash finds either neither
     * written, or the mark alone (a duplicate, microseconds wide), or both — never a durable COMMITTING without its
     * mark. It does not run if the update is never sent.
     *
     * @return true if the record is now COMMITTING under this claim; false if it was not held by this claim
     * @throws RuntimeException if the store did not answer and a second look could not tell whether it applied
     */
    public boolean markCommitting(Delivery claimed, long shownRevision, Instant now, Runnable justBeforeSending) {
        // The driver's own call, for its per-operation write concern; the document is written as Spring Data maps it.
        Document filter = new Document("_id", claimed.id()).append("status", DeliveryStatus.SENDING.name())
                .append("attempts", claimed.attempts());
        Document update = new Document("$set", new Document("status", DeliveryStatus.COMMITTING.name())
                .append("updatedAt", Date.from(now)).append(SHOWN_REVISION, shownRevision));
        CommitMarkListener.beforeSending(COLLECTION, justBeforeSending);
        try {
            return mongo.getCollection(COLLECTION).withWriteConcern(WriteConcern.MAJORITY)
                    .updateOne(filter, update).getModifiedCount() == 1;
        } catch (RuntimeException unknown) {
            // The write may have been applied with its acknowledgement lost: what the record says now decides.
            Delivery now2 = mongo.findById(claimed.id(), Delivery.class, COLLECTION);
            if (now2 != null && now2.status() == DeliveryStatus.COMMITTING && now2.attempts() == claimed.attempts()) {
                return true;
            }
            if (now2 != null && !(now2.status() == DeliveryStatus.SENDING && now2.attempts() == claimed.attempts())) {
                return false;
            }
            throw unknown;
        } finally {
            CommitMarkListener.clear();
        }
    }

    /** COMMITTING → SENT: the server answered 250 to the end of data. */
    public void markSent(String id, Instant now) {
        mongo.updateFirst(committing(id), new Update().set("status", DeliveryStatus.SENT).set("sentAt", now)
                .set("updatedAt", now).unset("leaseUntil"), COLLECTION);
    }

    /** COMMITTING → SENT for several at once (the 250s of a batch). */
    public void markAllSent(Collection<String> ids, Instant now) {
        if (ids.isEmpty()) {
            return;
        }
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, COLLECTION);
        ids.forEach(id -> bulk.updateOne(committing(id), new Update().set("status", DeliveryStatus.SENT)
                .set("sentAt", now).set("updatedAt", now).unset("leaseUntil")));
        bulk.execute();
    }

    /** From SENDING (held by this claim) or COMMITTING (a 5xx to the end of data) → FAILED. */
    public void markFailed(Delivery claimed, DeliveryStatus from, String error, Instant now) {
        finish(claimed, from, new Update().set("status", DeliveryStatus.FAILED).set("lastError", truncate(error))
                .set("updatedAt", now).unset("leaseUntil"));
    }

    public void markSkipped(Delivery claimed, String reason, Instant now) {
        finish(claimed, DeliveryStatus.SENDING, new Update().set("status", DeliveryStatus.SKIPPED)
                .set("lastError", truncate(reason)).set("updatedAt", now).unset("leaseUntil"));
    }

    /**
     * SENDING or COMMITTING → PENDING after a transient failure (a 4xx, or a connection lost before the end of data
     * was answered), so that whoever comes next may try again.
     */
    public void release(Delivery claimed, DeliveryStatus from, String error, Instant now) {
        finish(claimed, from, new Update().set("status", DeliveryStatus.PENDING).set("lastError", truncate(error))
                .set("updatedAt", now).unset("leaseUntil"));
    }

    /**
     * SENDING (held by these claims) → PENDING, lease dropped, in one round trip: the claims of a batch given back
     * unsent when the service stops. A record no longer held by its claim is left as it is. @return how many
     */
    public long giveBackAll(Collection<Delivery> claims, Instant now) {
        if (claims.isEmpty()) {
            return 0;
        }
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, COLLECTION);
        claims.forEach(c -> bulk.updateOne(held(c), new Update().set("status", DeliveryStatus.PENDING)
                .set("updatedAt", now).unset("leaseUntil")));
        return bulk.execute().getModifiedCount();
    }

    private void finish(Delivery claimed, DeliveryStatus from, Update update) {
        Query query = from == DeliveryStatus.COMMITTING ? committing(claimed.id()) : held(claimed);
        mongo.updateFirst(query, update, COLLECTION);
    }

    /** The record while this claim holds it: attempts counts claims, so a later claim by another sender differs. */
    private static Query held(Delivery claimed) {
        return Query.query(Criteria.where("_id").is(claimed.id()).and("status").is(DeliveryStatus.SENDING)
                .and("attempts").is(claimed.attempts()));
    }

    /** Only the sender that marked it COMMITTING moves it on: nobody else ever claims a COMMITTING record. */
    private static Query committing(String id) {
        return Query.query(Criteria.where("_id").is(id).and("status").is(DeliveryStatus.COMMITTING));
    }

    /**
     * Records nobody is working on any more: PENDING since before {@code before}, or SENDING under a claim that expired
     * before it. At most {@code limit}.
     */
    public List<Delivery> abandoned(Instant before, int limit) {
        Criteria pending = Criteria.where("status").is(DeliveryStatus.PENDING).and("updatedAt").lt(before);
        Criteria sending = Criteria.where("status").is(DeliveryStatus.SENDING).and("leaseUntil").lt(before);
        return mongo.find(Query.query(new Criteria().orOperator(pending, sending)).limit(limit), Delivery.class,
                COLLECTION);
    }

    /**
     * The announcements of an event SKIPPED because it was cancelled (or over) when they were due, back to PENDING:
     * the event is on again. Returns those reopened (each by a conditional update, so two callers reopen each once).
     */
    public List<Delivery> reopenAnnouncementsSkippedTooLate(String eventId, Instant now) {
        List<Delivery> skipped = mongo.find(Query.query(Criteria.where("eventId").is(eventId).and("kind")
                .is(NoticeKind.ANNOUNCEMENT).and("status").is(DeliveryStatus.SKIPPED).and("lastError")
                .is(ANNOUNCEMENT_TOO_LATE)), Delivery.class, COLLECTION);
        return skipped.stream().filter(d -> reopenSkippedTooLate(d.id(), now)).toList();
    }

    /** One announcement SKIPPED because its event was cancelled (or over) back to PENDING; false if it was not. */
    public boolean reopenSkippedTooLate(String id, Instant now) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("status").is(DeliveryStatus.SKIPPED)
                .and("lastError").is(ANNOUNCEMENT_TOO_LATE)),
                new Update().set("status", DeliveryStatus.PENDING).set("updatedAt", now).unset("lastError"),
                COLLECTION).getModifiedCount() == 1;
    }

    /** Subscribers who received the announcement of an event, by id, after a cursor. */
    public List<String> announcedSubscribers(String eventId, String afterSubscriberId, int limit) {
        Criteria criteria = Criteria.where("eventId").is(eventId).and("kind").is(NoticeKind.ANNOUNCEMENT)
                .and("status").in(DELIVERED);
        if (afterSubscriberId != null) {
            criteria = criteria.and("subscriberId").gt(afterSubscriberId);
        }
        Query query = Query.query(criteria).with(Sort.by("subscriberId")).limit(limit);
        query.fields().include("subscriberId");
        return mongo.find(query, Document.class, COLLECTION).stream().map(d -> d.getString("subscriberId"))
                .toList();
    }

    public List<Delivery> ofEvent(String eventId, DeliveryStatus status) {
        return mongo.find(ofEventQuery(eventId, status).with(Sort.by("kind", "subscriberId")), Delivery.class,
                COLLECTION);
    }

    /** One page of an event's deliveries (in a stable order: kind, then subscriber), and how many there are in all. */
    public DeliveryPage ofEvent(String eventId, DeliveryStatus status, int page, int size) {
        Query query = ofEventQuery(eventId, status);
        long total = mongo.count(query, COLLECTION);
        List<Delivery> items = mongo.find(query.with(Sort.by("kind", "subscriberId", "_id"))
                .skip((long) page * size).limit(size), Delivery.class, COLLECTION);
        return new DeliveryPage(items, total);
    }

    /** How many deliveries of the event are in each status (those with none left out). */
    public java.util.Map<DeliveryStatus, Long> countsOf(String eventId) {
        java.util.Map<DeliveryStatus, Long> counts = new java.util.EnumMap<>(DeliveryStatus.class);
        for (DeliveryStatus status : DeliveryStatus.values()) {
            long n = mongo.count(ofEventQuery(eventId, status), COLLECTION);
            if (n > 0) {
                counts.put(status, n);
            }
        }
        return counts;
    }

    public record DeliveryPage(List<Delivery> items, long total) {
    }

    private static Query ofEventQuery(String eventId, DeliveryStatus status) {
        Criteria criteria = Criteria.where("eventId").is(eventId);
        if (status != null) {
            criteria = criteria.and("status").is(status);
        }
        return Query.query(criteria);
    }

    /** FAILED → PENDING (attempts kept), only for records still FAILED at that moment. */
    public boolean resetFailed(String id, Instant now) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("status").is(DeliveryStatus.FAILED)),
                new Update().set("status", DeliveryStatus.PENDING).set("updatedAt", now), COLLECTION)
                .getModifiedCount() == 1;
    }

    /**
     * Right to erasure: the records stay (they are the log of what was sent) but no longer point at the person.
     * Each gets its own random placeholder so that the unique index still holds.
     */
    public long anonymise(String subscriberId, Instant now) {
        List<Delivery> theirs = mongo.find(Query.query(Criteria.where("subscriberId").is(subscriberId)),
                Delivery.class, COLLECTION);
        for (Delivery d : theirs) {
            mongo.updateFirst(Query.query(Criteria.where("_id").is(d.id())),
                    new Update().set("subscriberId", ERASED + UUID.randomUUID()).unset("lastError")
                            .set("updatedAt", now), COLLECTION);
        }
        return theirs.size();
    }

    private static String truncate(String text) {
        return text == null || text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR);
    }
}
