package dev.agenda.publishing.readmodel;

import java.util.Collection;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import dev.agenda.publishing.event.AppliedEvent;
import dev.agenda.publishing.event.EventStore;
import dev.agenda.publishing.event.SiteEvent;

@Component
class MongoEventStore implements EventStore {

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
    public void replaceAll(Collection<AppliedEvent> applied) {
        mongo.remove(new Query(), EventDocument.class);
        if (!applied.isEmpty()) {
            mongo.insert(applied.stream().map(EventDocument::of).toList(), EventDocument.class);
        }
    }

    @Document("events")
    record EventDocument(@Id String id, long revision, boolean deleted, SiteEvent event) {

        static EventDocument of(AppliedEvent applied) {
            return new EventDocument(applied.eventId(), applied.revision(), applied.deleted(), applied.event());
        }

        AppliedEvent toApplied() {
            return new AppliedEvent(id, revision, deleted ? null : event);
        }
    }
}
