package dev.agenda.events.event;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

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

    EventContent toContent() {
        return new EventContent(blankToNull(title), instant(publicationDate), blankToNull(lead),
                blankToNull(primaryCategory), categories, tags, images, instant(startsAt), instant(endsAt), timeZone,
                blankToNull(venue), blankToNull(address), Boolean.TRUE.equals(showMap), access, infos,
                blankToNull(body));
    }

    private static java.time.Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
