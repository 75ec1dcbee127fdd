package dev.agenda.events.event;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.http.ETag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.EventContent;
import dev.agenda.events.domain.EventStatus;
import dev.agenda.events.domain.EventRules;
import dev.agenda.events.domain.InvalidEventException;
import dev.agenda.events.domain.Violation;
import dev.agenda.events.web.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Admin API of events. The ETag of an event is its revision; PUT needs it in If-Match. */
@RestController
@RequestMapping(path = "/api/events", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "events")
class EventController {

    static final int MAX_PAGE_SIZE = 100;

    private final EventService events;

    EventController(EventService events) {
        this.events = events;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create an event (a DRAFT, or published at once with ?publish=true)")
    ResponseEntity<EventResponse> create(@RequestBody EventRequest request,
            @RequestParam(defaultValue = "false") boolean publish) {
        Event event = events.create(request.toContent(), request.slug(),
                publish ? EventStatus.PUBLISHED : EventStatus.DRAFT);
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().replaceQuery(null)
                .path("/{id}").buildAndExpand(event.id()).toUri();
        return ResponseEntity.created(location).eTag(etag(event)).body(EventResponse.of(event));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read one event")
    ResponseEntity<EventResponse> get(@PathVariable String id) {
        return ok(events.get(id));
    }

    @GetMapping
    @Operation(summary = "List events, sorted by start date, with optional filters")
    EventResponse.Page list(@RequestParam(required = false) EventStatus status,
            @RequestParam(required = false) String category, @RequestParam(required = false) String tag,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String q, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        List<Violation> violations = new ArrayList<>();
        Instant fromInstant = instant("from", from, violations);
        Instant toInstant = instant("to", to, violations);
        if (toInstant != null && isDate(to)) {
            // "to=2030-03-01" includes that day, as a person reading it means: up to its last millisecond in Paris,
            // not its first (which left out every event of the day but those at midnight).
            toInstant = LocalDate.parse(to.strip()).plusDays(1).atStartOfDay(ZoneId.of(EventContent.DEFAULT_TIME_ZONE))
                    .toInstant().minusMillis(1);
        }
        if (page < 0 || page > 100_000) {
            violations.add(new Violation("page", "must be between 0 and 100000"));
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            violations.add(new Violation("size", "must be between 1 and " + MAX_PAGE_SIZE));
        }
        if (q != null && q.length() > 200) {
            violations.add(new Violation("q", "must be at most 200 characters"));
        } else if (EventRules.forbiddenCharacterAt(q) >= 0) {
            violations.add(new Violation("q", "must not contain control characters"));
        }
        if (fromInstant != null && toInstant != null && toInstant.isBefore(fromInstant)) {
            violations.add(new Violation("to", "must not be before from"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidEventException(violations);
        }
        EventStore.Page result = events.search(new EventQuery(status, blank(category), blank(tag),
                fromInstant, toInstant, blank(q), page, size));
        return new EventResponse.Page(result.items().stream().map(EventResponse::of).toList(), page, size,
                result.total(), (result.total() + size - 1) / size);
    }

    @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace an event; needs If-Match with its ETag (412 when stale, 428 when missing)")
    ResponseEntity<EventResponse> update(@PathVariable String id, @RequestHeader("If-Match") String ifMatch,
            @RequestBody EventRequest request) {
        if (ifMatch.isBlank()) {
            throw ApiProblem.preconditionRequired("This request needs an If-Match header with the event's current ETag.");
        }
        Long revision = expectedRevision(id, ifMatch);
        long expected = revision != null ? revision : events.get(id).revision();
        return ok(events.update(id, expected, request.toContent(), request.slug()));
    }

    @PostMapping("/{id}/publish")
    @Operation(summary = "Publish an event (If-Match optional)")
    ResponseEntity<EventResponse> publish(@PathVariable String id,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return ok(events.publish(id, expectedRevision(id, ifMatch)));
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel a published event: it stays visible, marked CANCELLED (If-Match optional)")
    ResponseEntity<EventResponse> cancel(@PathVariable String id,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return ok(events.cancel(id, expectedRevision(id, ifMatch)));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Unpublish and remove an event (a tombstone goes to the topic; If-Match optional)")
    ResponseEntity<Void> delete(@PathVariable String id,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        events.delete(id, expectedRevision(id, ifMatch));
        return ResponseEntity.noContent().build();
    }

    /**
     * A date-time with offset ({@code 2030-05-25T14:00:00+02:00}, {@code ...Z}) or a plain date (midnight in
     * Europe/Paris). A '+' sent unencoded in a query string arrives as a space; it is read back as '+'.
     */
    static Instant instant(String name, String value, List<Violation> violations) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip().replace(' ', '+');
        try {
            return OffsetDateTime.parse(v).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(v).atStartOfDay(ZoneId.of(EventContent.DEFAULT_TIME_ZONE)).toInstant();
            } catch (DateTimeParseException again) {
                violations.add(new Violation(name, "must be a date (2030-05-25) or a date-time with offset "
                        + "(2030-05-25T14:00:00+02:00)"));
                return null;
            }
        }
    }

    private static boolean isDate(String value) {
        try {
            LocalDate.parse(value.strip());
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static String etag(Event event) {
        return "\"" + event.revision() + "\"";
    }

    private static ResponseEntity<EventResponse> ok(Event event) {
        return ResponseEntity.ok().eTag(etag(event)).body(EventResponse.of(event));
    }

    /**
     * The revision an If-Match header lets a change apply to, read as RFC 9110 (13.1.1) says; null when the header is
     * absent or {@code *} (any current version: the service still answers 404 when there is none). Our ETags are
     * strong ({@code "2"} is exactly revision 2), and If-Match compares strongly: a weak tag {@code W/"2"} only claims
     * an equivalent version and never matches, so it is a 412 rather than a licence to overwrite. A list matches when
     * any of its members is the current revision.
     */
    private Long expectedRevision(String id, String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        List<ETag> tags = ETag.parse(ifMatch);
        if (tags.stream().anyMatch(ETag::isWildcard)) {
            return null;
        }
        Set<Long> revisions = new LinkedHashSet<>();
        for (ETag tag : tags) {
            if (!tag.weak() && tag.tag().matches("[0-9]{1,18}")) {
                revisions.add(Long.parseLong(tag.tag()));
            }
        }
        if (revisions.isEmpty()) {
            throw new ApiProblem(HttpStatus.PRECONDITION_FAILED, "If-Match '" + ifMatch + "' names none of the "
                    + "event's ETags: they are quoted revisions (\"2\"), compared strongly, so a weak W/\"2\" never "
                    + "matches.");
        }
        if (revisions.size() == 1) {
            // The store's conditional update checks it, with no read in between for a concurrent change to slip into.
            return revisions.iterator().next();
        }
        long current = events.get(id).revision();
        if (!revisions.contains(current)) {
            throw ApiProblem.preconditionFailed("The event is at revision " + current + ", not one of " + revisions
                    + " (If-Match).");
        }
        // Still checked by the conditional update: a change between this read and the write is a 412 too.
        return current;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
