package dev.agenda.notification.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
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
    private static final int MAX_ERROR = 500;

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

    public Optional<Delivery> find(String id) {
        return Optional.ofNullable(mongo.findById(id, Delivery.class, COLLECTION));
    }

    /** PENDING (or SENDING with an expired lease) → SENDING until now + lease; empty if someone else holds it. */
    public Optional<Delivery> claim(String id, Instant now, Duration lease) {
        Query query = Query.query(Criteria.where("_id").is(id).orOperator(
                Criteria.where("status").is(DeliveryStatus.PENDING),
                Criteria.where("status").is(DeliveryStatus.SENDING).and("leaseUntil").lt(now)));
        Update update = new Update().set("status", DeliveryStatus.SENDING).set("leaseUntil", now.plus(lease))
                .set("updatedAt", now).inc("attempts", 1);
        return Optional.ofNullable(mongo.findAndModify(query, update, FindAndModifyOptions.options().returnNew(true),
                Delivery.class, COLLECTION));
    }

    public void markSent(String id, Instant now) {
        finish(id, new Update().set("status", DeliveryStatus.SENT).set("sentAt", now).set("updatedAt", now)
                .unset("leaseUntil"));
    }

    public void markFailed(String id, String error, Instant now) {
        finish(id, new Update().set("status", DeliveryStatus.FAILED).set("lastError", truncate(error))
                .set("updatedAt", now).unset("leaseUntil"));
    }

    public void markSkipped(String id, String reason, Instant now) {
        finish(id, new Update().set("status", DeliveryStatus.SKIPPED).set("lastError", truncate(reason))
                .set("updatedAt", now).unset("leaseUntil"));
    }

    /** SENDING → PENDING after a transient failure, so that whoever comes next may try again. */
    public void release(String id, String error, Instant now) {
        finish(id, new Update().set("status", DeliveryStatus.PENDING).set("lastError", truncate(error))
                .set("updatedAt", now).unset("leaseUntil"));
    }

    private void finish(String id, Update update) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("status").is(DeliveryStatus.SENDING)), update,
                COLLECTION);
    }

    public boolean isSent(String id) {
        return mongo.exists(Query.query(Criteria.where("_id").is(id).and("status").is(DeliveryStatus.SENT)),
                COLLECTION);
    }

    /** Subscribers who received the announcement of an event, by id, after a cursor. */
    public List<String> announcedSubscribers(String eventId, String afterSubscriberId, int limit) {
        Criteria criteria = Criteria.where("eventId").is(eventId).and("kind").is(NoticeKind.ANNOUNCEMENT)
                .and("status").is(DeliveryStatus.SENT);
        if (afterSubscriberId != null) {
            criteria = criteria.and("subscriberId").gt(afterSubscriberId);
        }
        Query query = Query.query(criteria).with(Sort.by("subscriberId")).limit(limit);
        query.fields().include("subscriberId");
        return mongo.find(query, org.bson.Document.class, COLLECTION).stream().map(d -> d.getString("subscriberId"))
                .toList();
    }

    public List<Delivery> ofEvent(String eventId, DeliveryStatus status) {
        Criteria criteria = Criteria.where("eventId").is(eventId);
        if (status != null) {
            criteria = criteria.and("status").is(status);
        }
        return mongo.find(Query.query(criteria).with(Sort.by("kind", "subscriberId")), Delivery.class, COLLECTION);
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
                    new Update().set("subscriberId", "erased-" + UUID.randomUUID()).unset("lastError")
                            .set("updatedAt", now), COLLECTION);
        }
        return theirs.size();
    }

    private static String truncate(String text) {
        return text == null || text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR);
    }
}
