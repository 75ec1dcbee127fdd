package dev.agenda.publishing.site;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import dev.agenda.publishing.event.SiteEvent;

/**
 * A paginated list of events under a path prefix: the whole agenda, one category ("type") or one tag ("thème").
 * Upcoming events come first, soonest first, then past events, latest first.
 */
record Listing(String prefix, String heading, Kind kind, String key) {

    enum Kind { ALL, TYPE, THEME }

    static final Listing ALL = new Listing("agenda", "Agenda des événements", Kind.ALL, null);

    static Listing type(String key, String label) {
        return new Listing("agenda/type/" + key, "Événements de type « " + label + " »", Kind.TYPE, key);
    }

    static Listing theme(String key, String label) {
        return new Listing("agenda/theme/" + key, "Événements sur le thème « " + label + " »", Kind.THEME, key);
    }

    /** Path of a page relative to the site root; page 1 is the listing's index. */
    String pagePath(int page) {
        return page == 1 ? prefix + "/index.html" : prefix + "/page/" + page + "/index.html";
    }

    String pageUrl(int page) {
        return page == 1 ? "/" + prefix + "/" : "/" + prefix + "/page/" + page + "/";
    }

    private static final Comparator<SiteEvent> SOONEST = Comparator
            .comparing(SiteEvent::startsAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(SiteEvent::title).thenComparing(SiteEvent::eventId);
    private static final Comparator<SiteEvent> LATEST = Comparator
            .comparing(SiteEvent::startsAt, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
            .thenComparing(SiteEvent::title).thenComparing(SiteEvent::eventId);

    /** Display order of entries: upcoming (soonest first), then past (latest first); total, so binary search works. */
    static final Comparator<Entry> ORDER = (a, b) -> a.upcoming() != b.upcoming() ? (a.upcoming() ? -1 : 1)
            : a.upcoming() ? SOONEST.compare(a.event(), b.event()) : LATEST.compare(a.event(), b.event());

    /** Upcoming (soonest first) followed by past (latest first). */
    static List<Entry> order(Collection<SiteEvent> events, Instant now) {
        List<SiteEvent> upcoming = new ArrayList<>();
        List<SiteEvent> past = new ArrayList<>();
        for (SiteEvent event : events) {
            (event.isUpcoming(now) ? upcoming : past).add(event);
        }
        upcoming.sort(SOONEST);
        past.sort(LATEST);
        List<Entry> ordered = new ArrayList<>(events.size());
        upcoming.forEach(e -> ordered.add(new Entry(e, true)));
        past.forEach(e -> ordered.add(new Entry(e, false)));
        return ordered;
    }

    static List<SiteEvent> upcoming(Collection<SiteEvent> events, Instant now) {
        return events.stream().filter(e -> e.isUpcoming(now)).sorted(SOONEST).toList();
    }

    record Entry(SiteEvent event, boolean upcoming) {
        /** Everything a listing shows of an event changes with its revision; the section with time. */
        String signature() {
            return event.eventId() + '@' + event.revision() + (upcoming ? 'U' : 'P');
        }
    }
}
