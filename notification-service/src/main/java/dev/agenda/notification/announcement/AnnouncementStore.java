package dev.agenda.notification.announcement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import dev.agenda.notification.delivery.NoticeDecisions;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.notification.event.ScheduleChange;

/** Announcements in MongoDB; a fan-out is owned through a lease so that one runner at a time advances it. */
@Component
class AnnouncementStore implements NoticeDecisions {

    static final String COLLECTION = "announcements";

    private final MongoTemplate mongo;

    AnnouncementStore(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** @return true if inserted (the caller then owns its lease), false if it was already there */
    boolean insertIfAbsent(Announcement announcement) {
        try {
            mongo.insert(announcement, COLLECTION);
            return true;
        } catch (DuplicateKeyException alreadyDecided) {
            // A redelivered record after a crash: the existing document (and its cursor) wins.
            return false;
        }
    }

    Optional<Announcement> claim(String id, Instant now, Duration lease) {
        Query query = Query.query(Criteria.where("_id").is(id).and("status").is(Announcement.Status.FANNING_OUT)
                .orOperator(Criteria.where("leaseUntil").is(null), Criteria.where("leaseUntil").lt(now)));
        return Optional.ofNullable(mongo.findAndModify(query, new Update().set("leaseUntil", now.plus(lease)),
                FindAndModifyOptions.options().returnNew(true), Announcement.class, COLLECTION));
    }

    void advance(String id, String cursor, int published, Instant now, Duration lease) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
                new Update().set("cursor", cursor).inc("requested", published).set("leaseUntil", now.plus(lease)),
                COLLECTION);
    }

    void finish(String id, Instant now) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
                new Update().set("status", Announcement.Status.DONE).set("finishedAt", now).unset("leaseUntil"),
                COLLECTION);
    }

    /** @return how many announcements of these events were removed */
    long removeOfEvents(java.util.Collection<String> eventIds) {
        return mongo.remove(Query.query(Criteria.where("eventId").in(eventIds)), COLLECTION).getDeletedCount();
    }

    void release(String id) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().unset("leaseUntil"), COLLECTION);
    }

    List<String> unfinished(Instant now) {
        Query query = Query.query(Criteria.where("status").is(Announcement.Status.FANNING_OUT)
                .orOperator(Criteria.where("leaseUntil").is(null), Criteria.where("leaseUntil").lt(now)))
                .with(Sort.by("createdAt")).limit(100);
        query.fields().include("_id");
        return mongo.find(query, org.bson.Document.class, COLLECTION).stream().map(d -> d.getString("_id")).toList();
    }

    @Override
    public List<Decision> after(String eventId, long revision) {
        Query query = Query.query(Criteria.where("eventId").is(eventId).and("kind").ne(NoticeKind.ANNOUNCEMENT)
                .and("revision").gt(revision)).with(Sort.by("revision"));
        query.fields().include("kind", "revision");
        return mongo.find(query, org.bson.Document.class, COLLECTION).stream()
                .map(d -> new Decision(NoticeKind.valueOf(d.getString("kind")), d.get("revision", Number.class)
                        .longValue()))
                .toList();
    }

    @Override
    public List<ScheduleChange.Earlier> before(String eventId, long revision) {
        Query query = Query.query(Criteria.where("eventId").is(eventId).and("revision").lt(revision));
        return mongo.find(query, Announcement.class, COLLECTION).stream()
                .map(a -> new ScheduleChange.Earlier(a.kind(), a.revision(), a.event())).toList();
    }

    List<Announcement> ofEvent(String eventId) {
        return mongo.find(Query.query(Criteria.where("eventId").is(eventId)).with(Sort.by("createdAt")),
                Announcement.class, COLLECTION);
    }
}
