package dev.agenda.events.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

/** Keys in their own collection; the unique {@code _id} makes two concurrent first uses impossible. */
@Repository
class MongoIdempotencyStore implements IdempotencyStore {

    static final String COLLECTION = "idempotency_keys";
    /** Longer than any request takes (the largest, a 20 MB import, takes seconds). */
    static final Duration IN_PROGRESS_LEASE = Duration.ofMinutes(10);

    private final MongoTemplate mongo;
    private final WebProperties properties;

    MongoIdempotencyStore(MongoTemplate mongo, WebProperties properties) {
        this.mongo = mongo;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ensureIndexes() {
        mongo.indexOps(COLLECTION).createIndex(new Index("createdAt", Sort.Direction.ASC)
                .expire(properties.idempotencyKeyTtl().toSeconds(), TimeUnit.SECONDS).named("expiry"));
    }

    @Override
    public Optional<Entry> claim(String id, String fingerprint, Instant now) {
        try {
            mongo.insert(new Entry(id, fingerprint, false, 0, Map.of(), null, now), COLLECTION);
            return Optional.empty();
        } catch (DuplicateKeyException taken) {
            Entry existing = mongo.findById(id, Entry.class, COLLECTION);
            if (existing != null && existing.createdAt().plus(properties.idempotencyKeyTtl()).isBefore(now)) {
                // Expired but not swept yet (TTL monitors run about once a minute, mongo-java-server never).
                mongo.remove(Query.query(Criteria.where("_id").is(id)), COLLECTION);
                return claim(id, fingerprint, now);
            }
            if (existing != null && !existing.done() && existing.createdAt().plus(IN_PROGRESS_LEASE).isBefore(now)) {
                // Claimed by a request that never finished (the service was killed while it ran): every retry would
                // get 409 until the key expires, a day later. Taken over only if still that abandoned claim.
                mongo.remove(Query.query(Criteria.where("_id").is(id).and("done").is(false)
                        .and("createdAt").is(existing.createdAt())), COLLECTION);
                return claim(id, fingerprint, now);
            }
            return Optional.ofNullable(existing);
        }
    }

    @Override
    public void complete(String id, int status, Map<String, String> headers, byte[] body) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().set("done", true)
                .set("status", status).set("headers", headers).set("body", body), COLLECTION);
    }

    @Override
    public void release(String id) {
        mongo.remove(Query.query(Criteria.where("_id").is(id)), COLLECTION);
    }
}
