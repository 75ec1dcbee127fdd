package dev.agenda.events.event;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.agenda.events.domain.Access;
import dev.agenda.events.domain.EventContent;
import dev.agenda.events.domain.Image;
import dev.agenda.events.domain.InfoRow;

/**
 * What an admin sends to create or replace an event. Times are ISO-8601 with an offset; {@code timeZone} is the
 * IANA zone the event is shown in (default Europe/Paris). {@code slug} is optional (derived from the title).
 */
// What GET answers besides these fields is the server's own (id, status, revision, timestamps): an admin who edits
// what GET returned and PUTs it back sends them too, and they are ignored rather than refused as unknown.
@JsonIgnoreProperties({"id", "status", "revision", "createdAt", "updatedAt", "firstPublishedAt"})
record EventRequest(String title, String slug, OffsetDateTime publicationDate, String lead, String primaryCategory,
        List<String> categories, List<String> tags, List<Image> images, OffsetDateTime startsAt,
        OffsetDateTime endsAt, String timeZone, String venue, String address, Boolean showMap, List<Access> access,
        List<InfoRow> infos, String body) {

    /**
     * Texts are trimmed in lists and rows as in single fields, and a category or tag given twice is kept once, as the
     * Jekyll reader does: " Atelier " and a second "Atelier" used to be stored as typed, so the event's exported
     * file re-imported as UPDATED (a new revision) instead of UNCHANGED. Null and blank entries stay for
     * {@link dev.agenda.events.domain.EventRules} to name.
     */
    EventContent toContent() {
        return new EventContent(blankToNull(title), instant(publicationDate), blankToNull(lead),
                blankToNull(primaryCategory), labels(categories), labels(tags), images(images), instant(startsAt),
                instant(endsAt), timeZone, blankToNull(venue), blankToNull(address), Boolean.TRUE.equals(showMap),
                access(access), infos(infos), EventContent.body(body));
    }

    private static List<String> labels(List<String> values) {
        if (values == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String value : values) {
            String label = value == null ? null : value.strip();
            if (label == null || label.isEmpty() || seen.add(label)) {
                out.add(label);
            }
        }
        return out;
    }

    private static List<String> stripped(List<String> values) {
        return values == null ? null : values.stream().map(v -> v == null ? null : v.strip()).toList();
    }

    private static List<Image> images(List<Image> images) {
        return images == null ? null : images.stream().map(i -> i == null ? null
                : new Image(i.url() == null ? null : i.url().strip(), blankToNull(i.caption()),
                        blankToNull(i.altText()))).toList();
    }

    private static List<Access> access(List<Access> access) {
        return access == null ? null : access.stream().map(a -> a == null ? null
                : new Access(a.type() == null ? null : a.type().strip(), stripped(a.lines()))).toList();
    }

    private static List<InfoRow> infos(List<InfoRow> infos) {
        return infos == null ? null : infos.stream().map(r -> r == null ? null
                : new InfoRow(r.label() == null ? null : r.label().strip(), blankToNull(r.content()),
                        blankToNull(r.link()))).toList();
    }

    private static java.time.Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
