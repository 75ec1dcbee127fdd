package dev.agenda.publishing.readmodel;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.FindAndReplaceOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import dev.agenda.publishing.event.AppliedEvent;
import dev.agenda.publishing.event.EventStore;
import dev.agenda.publishing.event.SiteEvent;

@Component
class MongoEventStore implements EventStore {

    /** Writes per round trip when a rebuild changes many events. */
    private static final int BATCH = 1000;

    private final MongoTemplate mongo;

    MongoEventStore(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public List<AppliedEvent> findAll() {
        return mongo.findAll(EventDocument.class).stream().map(EventDocument::toApplied).toList();
    }

    @Override
    public void save(AppliedEvent applied) {
        mongo.save(EventDocument.of(applied));
    }

    @Override
    public void reconcile(Map<String, AppliedEvent> stored, Map<String, AppliedEvent> fresh) {
        List<AppliedEvent> changed = fresh.values().stream()
                .filter(a -> !a.equals(stored.get(a.eventId()))).toList();
        List<String> removed = stored.keySet().stream().filter(id -> !fresh.containsKey(id)).toList();
        for (int from = 0; from < changed.size(); from += BATCH) {
            BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, EventDocument.class);
            changed.subList(from, Math.min(changed.size(), from + BATCH)).forEach(a -> bulk.replaceOne(
                    Query.query(Criteria.where("_id").is(a.eventId())), EventDocument.of(a),
                    FindAndReplaceOptions.options().upsert()));
            bulk.execute();
        }
        for (int from = 0; from < removed.size(); from += BATCH) {
            mongo.remove(Query.query(Criteria.where("_id").in(removed.subList(from,
                    Math.min(removed.size(), from + BATCH)))), EventDocument.class);
        }
    }

    @Document("events")
    record EventDocument(@Id String id, long revision, boolean deleted, SiteEvent event, Instant deletedAt) {

        static EventDocument of(AppliedEvent applied) {
            return new EventDocument(applied.eventId(), applied.revision(), applied.deleted(), applied.event(),
                    applied.deletedAt());
        }

        AppliedEvent toApplied() {
            return new AppliedEvent(id, revision, deleted ? null : event, deletedAt);
        }
    }
}
