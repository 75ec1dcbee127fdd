package dev.agenda.events.event;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.Slugs;

/** Events in MongoDB. Every change is one conditional single-document update (optimistic on the revision). */
@Repository
public class EventStore {

    static final String EVENT = "event";
    static final String REVISION = "event.revision";
    static final String STATUS = "event.status";
    static final String CONTENT = "event.content.";

    /**
     * The most messages an event keeps waiting: older ones are dropped when a change would exceed it. Each holds a
     * whole snapshot (a body may reach 200,000 characters), and while Kafka is down an event edited again and again
     * would otherwise grow its document towards MongoDB's 16 MB limit, past which the next edit fails. A dropped
     * revision is one a later revision of the same event supersedes (the topic is compacted by eventId: consumers
     * keep only the latest state anyway), so nothing a reader needs is lost.
     */
    public static final int MAX_WAITING_MESSAGES = 10;

    private final MongoTemplate mongo;

    EventStore(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ensureIndexes() {
        var ops = mongo.indexOps(EventDocument.class);
        ops.createIndex(new Index("slug", Sort.Direction.ASC).unique().named("slug_unique"));
        ops.createIndex(new Index(CONTENT + "startsAt", Sort.Direction.ASC).named("starts_at"));
        ops.createIndex(new Index(EventDocument.OVER_AT, Sort.Direction.ASC).named("over_at"));
        // What the outbox relay polls for, twice a second: only the few documents with messages waiting are indexed.
        ops.createIndex(new Index(EventDocument.PENDING_SINCE, Sort.Direction.ASC).sparse().named("outbox_pending"));
    }

    @EventListener(ApplicationReadyEvent.class)
    void addMissingOverAtOnStart() {
        addMissingOverAt();
    }

    /**
     * Gives {@code overAt} to the dated events stored before it existed, so that a search by date window finds them.
     * Each is set only if the event is still at the revision read (a change meanwhile sets it itself).
     *
     * @return how many documents were given one
     */
    long addMissingOverAt() {
        Query missing = Query.query(Criteria.where(EventDocument.OVER_AT).exists(false)
                .and(CONTENT + "startsAt").ne(null));
        long added = 0;
        try (java.util.stream.Stream<EventDocument> documents = mongo.stream(missing, EventDocument.class)) {
            for (EventDocument document : (Iterable<EventDocument>) documents::iterator) {
                Query unchanged = current(document.id()).addCriteria(Criteria.where(REVISION)
                        .is(document.event().revision()).and(EventDocument.OVER_AT).exists(false));
                added += mongo.updateFirst(unchanged, new Update().set(EventDocument.OVER_AT, document.overAt()),
                        EventDocument.class).getModifiedCount();
            }
        }
        return added;
    }

    /**
     * Inserts a new event, with its first message when it is public. Fails on a duplicate slug. An event created
     * through the API is marked so ({@link #createdThroughApi}): a Jekyll file whose name only turns into its slug
     * must not replace it.
     */
    void insert(Event event, OutboxEntry message, boolean throughApi) {
        org.bson.Document document = new org.bson.Document();
        mongo.getConverter().write(new EventDocument(event.id(), event.slug(), event,
                message == null ? List.of() : List.of(message), null, null, null, false), document);
        if (throughApi) {
            document.put(CREATED_THROUGH_API, true);
        }
        mongo.insert(document, EventDocument.COLLECTION);
    }

    /** The field, outside the event, set on the events created through the API (absent on those created before it). */
    static final String CREATED_THROUGH_API = "createdThroughApi";

    /** Whether the event was created through the API (as far as is known: events created before the mark are not). */
    boolean createdThroughApi(String id) {
        return mongo.exists(Query.query(Criteria.where("_id").is(id).and(CREATED_THROUGH_API).is(true)),
                EventDocument.class);
    }

    /**
     * Replaces the event if it is still at {@code expectedRevision}, and appends its message (if any) to the
     * pending ones. False when someone else changed it first (or it is gone).
     */
    boolean update(Event event, long expectedRevision, OutboxEntry message) {
        Update update = new Update().set(EVENT, event).set("slug", event.slug())
                .set(EventDocument.OVER_AT, event.content().over());
        if (message != null) {
            update.push("outbox").slice(-MAX_WAITING_MESSAGES).each(message)
                    .min(EventDocument.PENDING_SINCE, message.createdAt());
        }
        return mongo.updateFirst(current(event.id()).addCriteria(Criteria.where(REVISION).is(expectedRevision)),
                update, EventDocument.class).getModifiedCount() == 1;
    }

    /**
     * Marks the event deleted and queues its tombstone; the slug is released at once (the relay removes the document
     * after sending). Never-published events have no tombstone to send and are removed directly.
     */
    boolean delete(Event event, OutboxEntry tombstone) {
        Query query = current(event.id()).addCriteria(Criteria.where(REVISION).is(event.revision() - 1));
        if (tombstone == null) {
            return mongo.remove(query, EventDocument.class).getDeletedCount() == 1;
        }
        Update update = new Update().set(EVENT, event).set("slug", "deleted-" + event.id()).set("deleted", true)
                .min(EventDocument.PENDING_SINCE, tombstone.createdAt());
        update.push("outbox").slice(-MAX_WAITING_MESSAGES).each(tombstone);
        return mongo.updateFirst(query, update, EventDocument.class).getModifiedCount() == 1;
    }

    Optional<Event> find(String id) {
        return Optional.ofNullable(mongo.findOne(current(id), EventDocument.class)).map(EventDocument::event);
    }

    Optional<Event> findBySlug(String slug) {
        return Optional.ofNullable(mongo.findOne(Query.query(Criteria.where("slug").is(slug).and("deleted").is(false)),
                EventDocument.class)).map(EventDocument::event);
    }

    /** The field, outside the event, naming the file an event was first imported from (see {@link #sourceOf}). */
    static final String IMPORTED_FROM = "importedFrom";

    /** Records the file an event was created from by an import; kept from then on (a later import does not change it). */
    void recordSource(String id, String fileStem) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and(IMPORTED_FROM).exists(false)),
                new Update().set(IMPORTED_FROM, fileStem), EventDocument.class);
    }

    /** The file (name without folder nor extension) the event was created from by an import, if it was. */
    Optional<String> sourceOf(String id) {
        Query query = Query.query(Criteria.where("_id").is(id));
        query.fields().include(IMPORTED_FROM);
        org.bson.Document found = mongo.findOne(query, org.bson.Document.class, EventDocument.COLLECTION);
        return Optional.ofNullable(found).map(d -> d.getString(IMPORTED_FROM));
    }

    boolean slugTaken(String slug) {
        return mongo.exists(Query.query(Criteria.where("slug").is(slug)), EventDocument.class);
    }

    /** Every event not deleted, by start date, read as it is consumed: close the stream. */
    java.util.stream.Stream<Event> streamAll(dev.agenda.events.domain.EventStatus status) {
        Criteria criteria = Criteria.where("deleted").is(false);
        if (status != null) {
            criteria = criteria.and(STATUS).is(status);
        }
        return mongo.stream(Query.query(criteria).with(Sort.by(CONTENT + "startsAt", "_id")), EventDocument.class)
                .map(EventDocument::event);
    }

    /**
     * The labels stored in these fields whose key is {@code key}: the filter matches them exactly, so the query stays
     * a plain (indexable, paged) MongoDB one while grouping spellings as the site does. A store holds a few hundred
     * distinct labels, not one per event.
     */
    private Set<String> labelsWithKey(String key, String... fields) {
        Set<String> labels = new HashSet<>();
        for (String field : fields) {
            for (String label : mongo.findDistinct(new Query(), field, EventDocument.class, String.class)) {
                if (label != null && Slugs.labelKey(label).equals(key)) {
                    labels.add(label);
                }
            }
        }
        return labels;
    }

    record Page(List<Event> items, long total) {
    }

    Page search(EventQuery q) {
        List<Criteria> all = new java.util.ArrayList<>();
        all.add(Criteria.where("deleted").is(false));
        if (q.status() != null) {
            all.add(Criteria.where(STATUS).is(q.status()));
        }
        if (q.category() != null) {
            Set<String> labels = labelsWithKey(Slugs.labelKey(q.category()), CONTENT + "categories",
                    CONTENT + "primaryCategory");
            all.add(new Criteria().orOperator(Criteria.where(CONTENT + "categories").in(labels),
                    Criteria.where(CONTENT + "primaryCategory").in(labels)));
        }
        if (q.tag() != null) {
            all.add(Criteria.where(CONTENT + "tags").in(labelsWithKey(Slugs.labelKey(q.tag()), CONTENT + "tags")));
        }
        if (q.from() != null) {
            // In the window if it is still on at 'from', as the site counts it (EventContent.over: the first instant
            // it is no longer on).
            all.add(Criteria.where(EventDocument.OVER_AT).gt(q.from()));
        }
        if (q.to() != null) {
            all.add(Criteria.where(CONTENT + "startsAt").lte(q.to()));
        }
        if (q.q() != null && !q.q().isBlank()) {
            Pattern p = Pattern.compile(accentInsensitive(q.q().strip()),
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            all.add(new Criteria().orOperator(Criteria.where(CONTENT + "title").regex(p),
                    Criteria.where(CONTENT + "lead").regex(p)));
        }
        Query query = Query.query(new Criteria().andOperator(all));
        long total = mongo.count(query, EventDocument.class);
        query.with(Sort.by(Sort.Order.asc(CONTENT + "startsAt"), Sort.Order.asc("_id")))
                .skip((long) q.page() * q.size()).limit(q.size());
        return new Page(mongo.find(query, EventDocument.class).stream().map(EventDocument::event).toList(), total);
    }

    /**
     * A regular expression matching the text whatever its accents: French editors and admins type « cafe » for
     * « Café », « evenement » for « Événement », and either must find the other. Each letter becomes the class of the
     * Latin letters that fold to it (« e » → [eéèêë...]); everything else is matched literally.
     */
    static String accentInsensitive(String text) {
        StringBuilder regex = new StringBuilder();
        text.codePoints().forEach(cp -> {
            String base = fold(cp);
            String variants = base.length() == 1 ? ACCENTED.get(base.charAt(0)) : null;
            if (variants != null) {
                regex.append('[').append(base).append(variants).append(']');
            } else {
                regex.append(Pattern.quote(new String(Character.toChars(cp))));
            }
        });
        return regex.toString();
    }

    private static String fold(int codePoint) {
        return java.text.Normalizer.normalize(new String(Character.toChars(codePoint)), java.text.Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** For each lower-case ASCII letter, the accented letters of Latin-1 and Latin Extended-A that fold to it. */
    private static final java.util.Map<Character, String> ACCENTED = accentedLetters();

    private static java.util.Map<Character, String> accentedLetters() {
        java.util.Map<Character, StringBuilder> variants = new java.util.HashMap<>();
        for (int cp = 0xC0; cp <= 0x17F; cp++) {
            String base = fold(cp);
            if (base.length() == 1 && base.charAt(0) >= 'a' && base.charAt(0) <= 'z') {
                variants.computeIfAbsent(base.charAt(0), c -> new StringBuilder()).appendCodePoint(cp);
            }
        }
        java.util.Map<Character, String> result = new java.util.HashMap<>();
        variants.forEach((letter, chars) -> result.put(letter, chars.toString()));
        return java.util.Map.copyOf(result);
    }

    private static Query current(String id) {
        return Query.query(Criteria.where("_id").is(id).and("deleted").is(false));
    }

    /** Mongo keeps milliseconds; so do we, so that what we return equals what we read back. */
    static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }
}
