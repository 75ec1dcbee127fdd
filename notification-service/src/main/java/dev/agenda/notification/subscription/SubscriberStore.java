package dev.agenda.notification.subscription;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import jakarta.annotation.PostConstruct;

/** Subscribers in MongoDB, one document per address (unique index on the normalised address). */
@Component
public class SubscriberStore {

    static final String COLLECTION = "subscribers";

    private final MongoTemplate mongo;

    SubscriberStore(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @PostConstruct
    void indexes() {
        var ops = mongo.indexOps(COLLECTION);
        ops.createIndex(new Index().on("email", Sort.Direction.ASC).unique());
        ops.createIndex(new Index().on("status", Sort.Direction.ASC).on("_id", Sort.Direction.ASC));
    }

    /** @throws org.springframework.dao.DuplicateKeyException when the address already exists */
    public void insert(Subscriber subscriber) {
        mongo.insert(subscriber, COLLECTION);
    }

    public void save(Subscriber subscriber) {
        mongo.save(subscriber, COLLECTION);
    }

    /**
     * Replaces a subscriber only if it is still as it was read (same status, same pending confirmation): false if it
     * changed meanwhile (confirmed through its link, unsubscribed, asked again), so the caller decides again.
     */
    public boolean replaceIfUnchanged(Subscriber read, Subscriber replacement) {
        Criteria unchanged = Criteria.where("_id").is(read.id()).and("status").is(read.status()).and("expiresAt")
                .is(read.expiresAt());
        return mongo.replace(Query.query(unchanged), replacement, COLLECTION).getMatchedCount() == 1;
    }

    public Optional<Subscriber> findById(String id) {
        return Optional.ofNullable(mongo.findById(id, Subscriber.class, COLLECTION));
    }

    public Map<String, Subscriber> findAllById(Collection<String> ids) {
        Map<String, Subscriber> byId = new java.util.HashMap<>();
        mongo.find(Query.query(Criteria.where("_id").in(ids)), Subscriber.class, COLLECTION)
                .forEach(s -> byId.put(s.id(), s));
        return byId;
    }

    public Optional<Subscriber> findByEmail(String email) {
        return Optional.ofNullable(mongo.findOne(Query.query(Criteria.where("email").is(email)), Subscriber.class,
                COLLECTION));
    }

    /** PENDING → CONFIRMED, only while the confirmation the token was issued for is still the current one. */
    public Optional<Subscriber> confirm(String id, Instant tokenExpiry, Instant now) {
        Query query = Query.query(Criteria.where("_id").is(id).and("status").is(SubscriberStatus.PENDING)
                .and("expiresAt").is(tokenExpiry));
        // A new epoch: the links of the emails of an earlier subscription of this address stop working.
        // A confirmation proves the mailbox receives mail: a bounce that suppressed the address no longer holds.
        Update update = new Update().set("status", SubscriberStatus.CONFIRMED).set("confirmedAt", now)
                .unset("expiresAt").unset("unsubscribedAt").unset("bouncedAt").unset("bounceReason").inc("epoch", 1);
        return Optional.ofNullable(mongo.findAndModify(query, update, FindAndModifyOptions.options().returnNew(true),
                Subscriber.class, COLLECTION));
    }

    /** Only while the record still holds the subscription of that epoch. */
    public boolean updatePreferences(String id, int epoch, Preferences preferences) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id).andOperator(epochIs(epoch))),
                new Update().set("preferences", preferences), COLLECTION).getMatchedCount() == 1;
    }

    /** CONFIRMED → UNSUBSCRIBED, only while the record still holds the subscription of that epoch. */
    public boolean unsubscribe(String id, int epoch, Instant now) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("status").is(SubscriberStatus.CONFIRMED)
                .andOperator(epochIs(epoch))),
                new Update().set("status", SubscriberStatus.UNSUBSCRIBED).set("unsubscribedAt", now), COLLECTION)
                .getMatchedCount() == 1;
    }

    /**
     * CONFIRMED → BOUNCED (a hard bounce), only while the record still holds the subscription of that epoch: a late
     * bounce of an email of an earlier subscription does not suppress the one confirmed since (whose double opt-in
     * proved the mailbox works).
     *
     * @return whether it was suppressed by this call (false: already suppressed, unsubscribed, erased, or another
     *         subscription)
     */
    public boolean suppress(String id, int epoch, Instant now, String reason) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("status").is(SubscriberStatus.CONFIRMED)
                .andOperator(epochIs(epoch))),
                new Update().set("status", SubscriberStatus.BOUNCED).set("bouncedAt", now).set("bounceReason", reason),
                COLLECTION).getMatchedCount() == 1;
    }

    /** Epoch 0 is also a record stored before epochs existed, which has no such field. */
    private static Criteria epochIs(int epoch) {
        return epoch == 0 ? new Criteria().orOperator(Criteria.where("epoch").is(0), Criteria.where("epoch").exists(false))
                : Criteria.where("epoch").is(epoch);
    }

    /**
     * Unconfirmed requests past their expiry: an address that had unsubscribed before is UNSUBSCRIBED again (its opt-out
     * is kept: an import must not subscribe it again), one suppressed by a bounce BOUNCED again, the others are
     * deleted.
     *
     * @return how many were deleted
     */
    public long purgeExpired(Instant now) {
        // Suppressed by a bounce, asked again, never confirmed: nothing proved the mailbox works again.
        mongo.updateMulti(Query.query(Criteria.where("status").is(SubscriberStatus.PENDING).and("expiresAt").lte(now)
                .and("bouncedAt").ne(null)), new Update().set("status", SubscriberStatus.BOUNCED)
                .unset("expiresAt"), COLLECTION);
        mongo.updateMulti(Query.query(Criteria.where("status").is(SubscriberStatus.PENDING).and("expiresAt").lte(now)
                .and("unsubscribedAt").ne(null)), new Update().set("status", SubscriberStatus.UNSUBSCRIBED)
                .unset("expiresAt"), COLLECTION);
        return mongo.remove(Query.query(Criteria.where("status").is(SubscriberStatus.PENDING).and("expiresAt").lte(now)),
                COLLECTION).getDeletedCount();
    }

    public boolean delete(String id) {
        return mongo.remove(Query.query(Criteria.where("_id").is(id)), COLLECTION).getDeletedCount() == 1;
    }

    /**
     * One page of confirmed subscribers, confirmed no later than an event's first publication, scanned by id after
     * {@code afterId}, and among them those whose preferences match its categories or tags. The match is
     * {@link Preferences#matches} (accents, case and punctuation aside, as on the site), which a query on the stored
     * labels cannot express, so it is made here; {@code scannedTo} is the cursor to go on from, null once none is left.
     */
    public MatchingPage matchingPage(String afterId, Collection<String> categories, Collection<String> tags,
            Instant confirmedNoLaterThan, int limit) {
        Criteria criteria = Criteria.where("status").is(SubscriberStatus.CONFIRMED)
                .and("confirmedAt").lte(confirmedNoLaterThan);
        if (afterId != null) {
            criteria = criteria.and("_id").gt(afterId);
        }
        Query query = Query.query(criteria).with(Sort.by("_id")).limit(limit);
        query.fields().include("_id", "preferences");
        List<Subscriber> scanned = mongo.find(query, Subscriber.class, COLLECTION);
        if (scanned.isEmpty()) {
            return new MatchingPage(List.of(), null);
        }
        return new MatchingPage(scanned.stream().filter(s -> s.preferences() != null
                && s.preferences().matches(categories, tags)).map(Subscriber::id).toList(),
                scanned.get(scanned.size() - 1).id());
    }

    /** @param ids the matching subscribers of a page; @param scannedTo the last id looked at, null at the end */
    public record MatchingPage(List<String> ids, String scannedTo) {
    }

    public List<Subscriber> search(String text, SubscriberStatus status, int page, int size) {
        Query query = searchQuery(text, status).with(Sort.by("email")).skip((long) page * size).limit(size);
        return mongo.find(query, Subscriber.class, COLLECTION);
    }

    public long count(String text, SubscriberStatus status) {
        return mongo.count(searchQuery(text, status), COLLECTION);
    }

    public Map<SubscriberStatus, Long> countsByStatus() {
        Map<SubscriberStatus, Long> counts = new LinkedHashMap<>();
        for (SubscriberStatus status : SubscriberStatus.values()) {
            counts.put(status, mongo.count(Query.query(Criteria.where("status").is(status)), COLLECTION));
        }
        return counts;
    }

    public Stream<Subscriber> streamAll() {
        return mongo.stream(new Query().with(Sort.by("email")), Subscriber.class, COLLECTION);
    }

    private static Query searchQuery(String text, SubscriberStatus status) {
        Query query = new Query();
        if (text != null && !text.isBlank()) {
            String typed = text.strip().toLowerCase(Locale.ROOT);
            String stored = EmailAddresses.searchForm(typed);
            // Domains are stored in their ASCII form: « société » is looked for as « xn--socit-esab » too.
            query.addCriteria(typed.equals(stored)
                    ? Criteria.where("email").regex(Pattern.quote(typed), "i")
                    : new Criteria().orOperator(Criteria.where("email").regex(Pattern.quote(typed), "i"),
                            Criteria.where("email").regex(Pattern.quote(stored), "i")));
        }
        if (status != null) {
            query.addCriteria(Criteria.where("status").is(status));
        }
        return query;
    }
}
