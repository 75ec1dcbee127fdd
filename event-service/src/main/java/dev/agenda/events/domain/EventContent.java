package dev.agenda.events.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Everything an editor writes about an event, i.e. every field of the Jekyll corpus.
 *
 * @param title           {@code title}
 * @param publicationDate {@code date}: when the page was (or is to be shown as) published, not the event date
 * @param lead            {@code chapeau-text}
 * @param primaryCategory {@code categorie} (older single-string type)
 * @param categories      {@code categories}
 * @param tags            {@code tags}
 * @param images          {@code une-ou-diaporama}
 * @param startsAt        {@code event_start_date}
 * @param endsAt          {@code event_end_date}
 * @param timeZone        IANA zone the event is shown in (Europe/Paris unless said otherwise)
 * @param venue           {@code lieu}
 * @param address         {@code adresse}
 * @param showMap         {@code afficher_la_carte}
 * @param access          {@code acces}
 * @param infos           {@code champs_informations}
 * @param body            Markdown (kramdown) with raw HTML and attribute lists, kept verbatim
 */
public record EventContent(String title, Instant publicationDate, String lead, String primaryCategory,
        List<String> categories, List<String> tags, List<Image> images, Instant startsAt, Instant endsAt,
        String timeZone, String venue, String address, boolean showMap, List<Access> access, List<InfoRow> infos,
        String body) {

    public static final String DEFAULT_TIME_ZONE = "Europe/Paris";

    public EventContent {
        categories = copy(categories);
        tags = copy(tags);
        images = copy(images);
        access = copy(access);
        infos = copy(infos);
        timeZone = timeZone == null || timeZone.isBlank() ? DEFAULT_TIME_ZONE : timeZone;
    }

    /**
     * An unmodifiable copy that keeps null entries: a client's {@code [null]} must reach {@link EventRules}, which
     * names the entry, instead of failing here (List.copyOf refuses nulls).
     */
    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }

    /**
     * When the event is over, as the site counts it (and lists it as past): a whole-day event (it starts at midnight
     * where it is held and ends at midnight of its last day, included, or has no end: the corpus' convention) as its
     * last day ends; a timed event at its end, or, without one, as the day it starts on ends. Null when undated.
     */
    public Instant over() {
        if (startsAt == null) {
            return null;
        }
        ZoneId zone = zone();
        ZonedDateTime start = startsAt.atZone(zone);
        boolean wholeDay = start.toLocalTime().equals(LocalTime.MIDNIGHT)
                && (endsAt == null || endsAt.atZone(zone).toLocalTime().equals(LocalTime.MIDNIGHT));
        if (wholeDay) {
            ZonedDateTime lastDay = endsAt == null || !endsAt.isAfter(startsAt) ? start : endsAt.atZone(zone);
            return lastDay.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
        }
        if (endsAt != null && endsAt.isAfter(startsAt)) {
            return endsAt;
        }
        return start.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
    }

    /** The event's time zone; the agenda's own for a zone the rules would refuse (a draft may hold one). */
    private ZoneId zone() {
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException invalid) {
            return ZoneId.of(DEFAULT_TIME_ZONE);
        }
    }

    /**
     * A body as the agenda keeps it, whichever way it arrives (the API, a Jekyll file): lines ended by {@code \n},
     * no blank lines before the first line of text or after the last, and no spaces ending it, all of which are
     * layout; the first line keeps its indentation (four spaces open a code block in Markdown). Null when blank. So
     * an event read and sent back, or exported and imported again, is the same revision.
     */
    public static String body(String raw) {
        if (raw == null) {
            return null;
        }
        String b = raw.replace("\r\n", "\n").replace('\r', '\n').stripTrailing();
        int start = 0;
        while (true) {
            int nl = b.indexOf('\n', start);
            if (nl < 0 || !b.substring(start, nl).isBlank()) {
                break;
            }
            start = nl + 1;
        }
        b = b.substring(start);
        return b.isBlank() ? null : b;
    }

    public EventContent withPublicationDate(Instant date) {
        return new EventContent(title, date, lead, primaryCategory, categories, tags, images, startsAt, endsAt,
                timeZone, venue, address, showMap, access, infos, body);
    }
}
