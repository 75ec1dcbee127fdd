package dev.agenda.publishing.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.mongodb.client.MongoClient;

import dev.agenda.publishing.IntegrationTestBase;
import dev.agenda.publishing.event.AppliedEvent;
import dev.agenda.publishing.event.SiteEvent;

/** The read model after a rebuild: brought to the log's state by writing only what differs. */
class MongoEventStoreTest extends IntegrationTestBase {

    @Autowired
    MongoClient client;
    @Autowired
    MongoTemplate serviceTemplate;

    @Test
    void aRebuildWritesOnlyTheEventsThatDifferAndRemovesThoseTheLogNoLongerHas() {
        // A database of its own, mapped as the service maps it: the service's read model is left alone.
        MongoTemplate mongo = new MongoTemplate(new SimpleMongoClientDatabaseFactory(client,
                "agenda_site_store_" + UUID.randomUUID().toString().substring(0, 8)), serviceTemplate.getConverter());
        MongoEventStore store = new MongoEventStore(mongo);
        AppliedEvent same = applied("meme", 1);
        AppliedEvent older = applied("plus-ancien", 1);
        AppliedEvent gone = applied("disparu", 2);
        AppliedEvent deleted = new AppliedEvent("supprime", 3, null, Instant.parse("2030-01-02T03:04:05Z"));
        List.of(same, older, gone, deleted).forEach(store::save);
        // A mark on every stored document: a document written by the reconciliation loses it.
        mongo.updateMulti(new Query(), new Update().set("untouched", true), "events");

        AppliedEvent newer = applied("plus-ancien", 2);
        AppliedEvent added = applied("nouveau", 1);
        store.reconcile(byId(List.of(same, older, gone, deleted)), byId(List.of(same, newer, deleted, added)));

        assertThat(store.findAll()).containsExactlyInAnyOrder(same, newer, deleted, added);
        List<String> untouched = mongo.find(Query.query(Criteria.where("untouched").is(true)), Document.class,
                "events").stream().map(d -> d.getString("_id")).toList();
        assertThat(untouched).containsExactlyInAnyOrder("meme", "supprime");
        mongo.getDb().drop();
    }

    private static Map<String, AppliedEvent> byId(List<AppliedEvent> events) {
        return events.stream().collect(Collectors.toMap(AppliedEvent::eventId, Function.identity()));
    }

    private static AppliedEvent applied(String id, long revision) {
        Instant start = Instant.parse("2030-03-17T12:45:00Z");
        SiteEvent event = new SiteEvent(id, revision, false, "evenement-" + id, "Titre " + id + " r" + revision,
                "Chapeau", null, List.of("Atelier"), List.of("accessibilité"), List.of(), start,
                start.plusSeconds(3600), "Europe/Paris", null, List.of(), List.of(), "Corps", start, start, null);
        return new AppliedEvent(id, revision, event);
    }
}
