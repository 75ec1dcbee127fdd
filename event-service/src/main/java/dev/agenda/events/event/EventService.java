package dev.agenda.events.event;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.EventContent;
import dev.agenda.events.domain.EventRules;
import dev.agenda.events.domain.EventStatus;
import dev.agenda.events.domain.InvalidEventException;
import dev.agenda.events.domain.RequestRefusedException;
import dev.agenda.events.domain.Slugs;
import dev.agenda.events.domain.Violation;

/**
 * The admin use cases. Each change is validated, then written in one conditional single-document update together
 * with the message to publish (for public events), then the relay is woken.
 */
@Service
public class EventService {

    private static final Logger log = LoggerFactory.getLogger(EventService.class);
    private static final int MAX_SLUG_ATTEMPTS = 50;

    private final EventStore store;
    private final ApplicationEventPublisher signals;
    private final CurrentTrace trace;

    EventService(EventStore store, ApplicationEventPublisher signals, CurrentTrace trace) {
        this.store = store;
        this.signals = signals;
        this.trace = trace;
    }

    public Event get(String id) {
        return store.find(id).orElseThrow(() -> RequestRefusedException.notFound("Event " + id));
    }

    public Optional<Event> findBySlug(String slug) {
        return store.findBySlug(slug);
    }

    public EventStore.Page search(EventQuery query) {
        return store.search(query);
    }

    /** Every event (of this status, or all when null) read from the store as it is consumed: close the stream. */
    public java.util.stream.Stream<Event> streamAll(EventStatus status) {
        return store.streamAll(status);
    }

    /** Creates a DRAFT, or a PUBLISHED event at once; the slug comes from the title unless the admin gives one. */
    public Event create(EventContent content, String slug, EventStatus status) {
        return create(content, slug, status, true);
    }

    private Event create(EventContent content, String slug, EventStatus status, boolean throughApi) {
        EventRules.require(content, status);
        if (slug != null) {
            requireValidSlug(slug);
        }
        String base = slug != null ? slug : Slugs.slugify(content.title());
        if (base.isEmpty()) {
            // The title is valid ("日本語のイベント", "🎉"): what is missing is an address, which only the admin can give.
            throw new InvalidEventException(List.of(new Violation("slug", "is required: the title has no Latin letter "
                    + "or digit to make the page's address from (give one like \"atelier-ia-2030\")")));
        }
        Instant now = EventStore.now();
        String id = UUID.randomUUID().toString();
        for (int n = 1; n <= MAX_SLUG_ATTEMPTS; n++) {
            String candidate = Slugs.withSuffix(base, n);
            if (store.slugTaken(candidate)) {
                if (slug != null) {
                    throw RequestRefusedException.conflict("The slug '" + slug + "' is already used by another event.");
                }
                continue;
            }
            Event draft = new Event(id, candidate, EventStatus.DRAFT, 0, content, now, now, null);
            Event event = draft.changed(content, status, now);
            try {
                store.insert(event, message(event, now), throughApi);
            } catch (DuplicateKeyException raced) {
                if (slug != null) {
                    throw RequestRefusedException.conflict("The slug '" + slug + "' is already used by another event.");
                }
                continue;
            }
            if (event.status().isPublic()) {
                wake(event);
            }
            return event;
        }
        throw RequestRefusedException.conflict("No free slug left for '" + base + "'; give one explicitly.");
    }

    /** Replaces the content (and optionally the slug) if the admin saw the current revision. */
    public Event update(String id, long expectedRevision, EventContent content, String slug) {
        Event current = get(id);
        if (current.revision() != expectedRevision) {
            throw stale(current);
        }
        String newSlug = slug == null ? current.slug() : slug;
        if (!newSlug.equals(current.slug())) {
            requireValidSlug(newSlug);
            if (current.wasPublished()) {
                throw RequestRefusedException.conflict("The slug is frozen once the event has been published.");
            }
            if (store.slugTaken(newSlug)) {
                throw RequestRefusedException.conflict("The slug '" + newSlug + "' is already used by another event.");
            }
        }
        EventRules.require(content, current.status());
        if (content.publicationDate() == null && current.status().isPublic()) {
            content = content.withPublicationDate(current.content().publicationDate());
        }
        if (content.equals(current.content()) && newSlug.equals(current.slug())) {
            return current;
        }
        return write(current, current.withSlug(newSlug).changed(content, current.status(), EventStore.now()));
    }

    public Event publish(String id, Long expectedRevision) {
        Event current = checked(id, expectedRevision);
        if (current.status() == EventStatus.PUBLISHED) {
            return current;
        }
        EventRules.require(current.content(), EventStatus.PUBLISHED);
        return write(current, current.changed(current.content(), EventStatus.PUBLISHED, EventStore.now()));
    }

    /** A cancelled event stays visible, marked CANCELLED. */
    public Event cancel(String id, Long expectedRevision) {
        Event current = checked(id, expectedRevision);
        if (current.status() == EventStatus.CANCELLED) {
            return current;
        }
        if (current.status() == EventStatus.DRAFT) {
            throw RequestRefusedException.conflict("A draft cannot be cancelled: publish it first, or delete it.");
        }
        return write(current, current.changed(current.content(), EventStatus.CANCELLED, EventStore.now()));
    }

    /** Removes the event; once published, a tombstone tells every consumer to take it down. */
    public void delete(String id, Long expectedRevision) {
        Event current = checked(id, expectedRevision);
        Instant now = EventStore.now();
        Event gone = current.changed(current.content(), current.status(), now);
        OutboxEntry tombstone = current.wasPublished() ? OutboxEntry.tombstone(gone, now, trace.traceParent()) : null;
        if (!store.delete(gone, tombstone)) {
            throw concurrent(id, expectedRevision);
        }
        if (tombstone != null) {
            log.info("Deleted event {} at revision {}; its tombstone is queued for agenda.events", gone.id(),
                    gone.revision());
            signals.publishEvent(new OutboxWritten(gone.id()));
        }
    }

    /** See {@link EventStore#recordSource}. */
    public void recordImportSource(String id, String fileStem) {
        store.recordSource(id, fileStem);
    }

    /** See {@link EventStore#sourceOf}. */
    public Optional<String> importSource(String id) {
        return store.sourceOf(id);
    }

    /** See {@link EventStore#createdThroughApi}. */
    public boolean createdThroughApi(String id) {
        return store.createdThroughApi(id);
    }

    /**
     * Applies an imported file to the event with its slug: creates it, or updates content and status in one
     * revision. Returns the event, or empty when nothing changed.
     */
    public Optional<Event> applyImport(String slug, EventContent content, EventStatus status) {
        Optional<Event> existing = store.findBySlug(slug);
        if (existing.isEmpty()) {
            return Optional.of(create(content, slug, status, false));
        }
        Event current = existing.get();
        EventRules.require(content, status);
        if (content.publicationDate() == null) {
            content = content.withPublicationDate(current.content().publicationDate());
        }
        if (content.equals(current.content()) && status == current.status()) {
            return Optional.empty();
        }
        return Optional.of(write(current, current.changed(content, status, EventStore.now())));
    }

    private Event write(Event current, Event next) {
        if (!store.update(next, current.revision(), message(next, next.updatedAt()))) {
            throw concurrent(current.id(), current.revision());
        }
        if (next.status().isPublic()) {
            wake(next);
        }
        return next;
    }

    private Event checked(String id, Long expectedRevision) {
        Event current = get(id);
        if (expectedRevision != null && current.revision() != expectedRevision) {
            throw stale(current);
        }
        return current;
    }

    private RuntimeException concurrent(String id, Long expectedRevision) {
        if (store.find(id).isEmpty()) {
            return RequestRefusedException.notFound("Event " + id);
        }
        return RequestRefusedException.stale("The event changed while this request was processed (revision "
                + expectedRevision + " is no longer current); reload it and retry.");
    }

    private static RuntimeException stale(Event current) {
        return RequestRefusedException.stale("The event is at revision " + current.revision()
                + "; reload it and apply your change again.");
    }

    private static void requireValidSlug(String slug) {
        if (!Slugs.isValid(slug)) {
            throw new InvalidEventException(List.of(new Violation("slug",
                    "must match [a-z0-9]+(-[a-z0-9]+)* and be at most " + Slugs.MAX_LENGTH + " characters")));
        }
    }

    private OutboxEntry message(Event event, Instant now) {
        return event.status().isPublic() ? OutboxEntry.of(event, now, trace.traceParent()) : null;
    }

    private void wake(Event event) {
        // Logged in the request's trace: the start of a publication's trail across the three services' logs.
        log.info("Stored event {} revision {} ({}); its message is queued for agenda.events", event.id(),
                event.revision(), event.status());
        signals.publishEvent(new OutboxWritten(event.id()));
    }
}
