package dev.agenda.notification.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Optional;

import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import dev.agenda.notification.subscription.CategoryCatalog;

/** Per-event state in MongoDB; every write is conditional on the revision, so replays and duplicates are no-ops. */
@Component
public class EventStateStore implements CategoryCatalog {

    static final String COLLECTION = "event_states";

    private final MongoTemplate mongo;

    EventStateStore(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    public Optional<EventState> find(String eventId) {
        return Optional.ofNullable(mongo.findById(eventId, EventState.class, COLLECTION));
    }

    /** @return false if a revision at least as recent was applied meanwhile */
    public boolean apply(EventSnapshot snapshot, boolean announced, Instant now) {
        Query newer = Query.query(Criteria.where("_id").is(snapshot.eventId())
                .and("snapshot.revision").lt(snapshot.revision()));
        Update update = new Update().set("snapshot", snapshot).set("announced", announced).set("appliedAt", now);
        if (mongo.updateFirst(newer, update, COLLECTION).getMatchedCount() == 1) {
            return true;
        }
        try {
            mongo.insert(new EventState(snapshot.eventId(), snapshot, announced, false, now), COLLECTION);
            return true;
        } catch (DuplicateKeyException alreadyNewer) {
            return false;
        }
    }

    public void markDeleted(String eventId, Instant now) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(eventId)),
                new Update().set("deleted", true).set("appliedAt", now), COLLECTION);
    }

    /** Deleted, its last snapshot replaced by the withdrawn one its cancellation notice shows. */
    public void markWithdrawn(EventSnapshot withdrawn, Instant now) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(withdrawn.eventId()).and("deleted").is(false)),
                new Update().set("deleted", true).set("snapshot", withdrawn).set("appliedAt", now), COLLECTION);
    }

    /**
     * The events over before {@code cutoff} as last seen: ended, or without an end, started (an event without a date
     * is never over).
     */
    public List<String> overBefore(Instant cutoff) {
        Query query = Query.query(new Criteria().orOperator(Criteria.where("snapshot.endsAt").lt(cutoff),
                new Criteria().andOperator(Criteria.where("snapshot.endsAt").is(null),
                        Criteria.where("snapshot.startsAt").lt(cutoff))));
        query.fields().include("_id");
        return mongo.find(query, Document.class, COLLECTION).stream().map(d -> d.getString("_id")).toList();
    }

    @Override
    public List<String> categories() {
        return labelsOf("snapshot.categories");
    }

    @Override
    public List<String> tags() {
        return labelsOf("snapshot.tags");
    }

    private List<String> labelsOf(String field) {
        // How many (not deleted) events carry each label, as typed: the catalogue shows the spelling most use.
        Aggregation count = Aggregation.newAggregation(
                Aggregation.match(Criteria.where("deleted").is(false)),
                Aggregation.unwind(field),
                Aggregation.group(field).count().as("events"));
        Map<String, Long> eventsByLabel = new HashMap<>();
        for (Document label : mongo.aggregate(count, COLLECTION, Document.class)) {
            if (label.get("_id") instanceof String text) {
                eventsByLabel.merge(text, ((Number) label.get("events")).longValue(), Long::sum);
            }
        }
        return CategoryCatalog.labels(eventsByLabel);
    }
}
