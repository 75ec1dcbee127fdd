package dev.agenda.publishing.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.Standard;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtEnd;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Summary;
import net.fortuna.ical4j.model.property.TzId;
import net.fortuna.ical4j.model.property.TzName;
import net.fortuna.ical4j.model.property.TzOffsetFrom;
import net.fortuna.ical4j.model.property.TzOffsetTo;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

import dev.agenda.publishing.event.SiteEvent;
import dev.agenda.support.ical.IcsLines;

/**
 * iCalendar with ical4j. Times are written in UTC, which every client converts to the reader's zone, so no VTIMEZONE
 * is needed (but for a feed with no event: see {@link #frame()}). The UID is stable per event and SEQUENCE is the revision, so a client updates the entry it already has.
 */
final class CalendarWriter {

    private static final String BEGIN = "BEGIN:VEVENT";
    private static final String END = "END:VEVENT\r\n";

    private final String base;
    private final String productId;
    private final String siteTitle;

    CalendarWriter(String base, String siteTitle) {
        this.base = base;
        this.siteTitle = IcsLines.oneLine(siteTitle);
        this.productId = "-//Agenda//" + this.siteTitle + "//FR";
    }

    static String uid(SiteEvent event) {
        return event.eventId() + "@agenda";
    }

    /** A complete calendar holding one event. */
    String single(SiteEvent event, String description) {
        Calendar calendar = calendar();
        calendar.add(vevent(event, description));
        return output(calendar);
    }

    /** The VEVENT block of a single-event calendar, to assemble feeds without re-rendering every event. */
    static String veventBlock(String singleCalendar) {
        int from = singleCalendar.indexOf(BEGIN);
        int to = singleCalendar.lastIndexOf(END);
        return singleCalendar.substring(from, to + END.length());
    }

    /**
     * What a calendar of many events has before and after its VEVENT blocks (cached blocks go in between). It is
     * named after the site (X-WR-CALNAME, X-WR-CALDESC): calendar apps that subscribe to it show that name, not
     * its URL.
     */
    String[] frame() {
        Calendar feed = calendar();
        feed.add(new XProperty("X-WR-CALNAME", siteTitle));
        feed.add(new XProperty("X-WR-CALDESC", "Événements à venir : " + siteTitle));
        String empty = output(feed);
        int end = empty.lastIndexOf("END:VCALENDAR");
        feed.add(utc());
        String withZone = output(feed);
        String zone = withZone.substring(withZone.indexOf("BEGIN:VTIMEZONE"), withZone.lastIndexOf("END:VCALENDAR"));
        return new String[] {empty.substring(0, end), empty.substring(end), zone};
    }

    /**
     * What a calendar holds when no event is upcoming: a calendar needs at least one component (RFC 5545 §3.6), and
     * strict readers refuse one without. The feed's times are in UTC, so its zone is the one true thing to say.
     */
    private static VTimeZone utc() {
        Standard standard = new Standard();
        standard.add(new DtStart<>(java.time.LocalDateTime.of(1970, 1, 1, 0, 0)));
        standard.add(new TzOffsetFrom(java.time.ZoneOffset.UTC));
        standard.add(new TzOffsetTo(java.time.ZoneOffset.UTC));
        standard.add(new TzName("UTC"));
        VTimeZone zone = new VTimeZone();
        zone.add(new TzId("UTC"));
        zone.add(standard);
        return zone;
    }

    private Calendar calendar() {
        Calendar calendar = new Calendar();
        calendar.add(new ProdId(productId));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        return calendar;
    }

    private VEvent vevent(SiteEvent event, String description) {
        VEvent vevent = new VEvent(false);
        vevent.add(new Uid(uid(event)));
        vevent.add(new DtStamp(event.updatedAt()));
        vevent.add(new LastModified(event.updatedAt()));
        if (SiteEvent.allDay(event.startsAt(), event.endsAt(), event.zone())) {
            // Whole days as dates (RFC 5545 §3.6.1: DTEND is the day after the last one), not midnight to midnight.
            vevent.add(new DtStart<>(event.startsAt().atZone(event.zone()).toLocalDate()));
            vevent.add(new DtEnd<>(SiteEvent.lastDay(event.startsAt(), event.endsAt(), event.zone()).plusDays(1)));
        } else {
            vevent.add(new DtStart<>(event.startsAt()));
            if (event.endsAt() != null && event.endsAt().isAfter(event.startsAt())) {
                vevent.add(new DtEnd<>(event.endsAt()));
            }
        }
        vevent.add(new Summary(IcsLines.oneLine(event.title())));
        vevent.add(new Sequence((int) Math.min(Integer.MAX_VALUE, event.revision())));
        vevent.add(new Status(event.cancelled() ? Status.VALUE_CANCELLED : Status.VALUE_CONFIRMED));
        String place = place(event);
        if (place != null) {
            vevent.add(new Location(IcsLines.oneLine(place)));
        }
        if (description != null && !description.isBlank()) {
            vevent.add(new Description(IcsLines.text(description)));
        }
        vevent.add(new Url(URI.create(base + "/agenda/" + event.slug() + "/")));
        return vevent;
    }

    private static String place(SiteEvent event) {
        if (event.location() == null) {
            return null;
        }
        String name = event.location().name();
        String address = event.location().address();
        if (name != null && address != null) {
            return name + ", " + address;
        }
        return name != null ? name : address;
    }

    private static String output(Calendar calendar) {
        TextWriter out = new TextWriter(1024);
        try {
            new CalendarOutputter(false).output(calendar, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return IcsLines.refold(out.toString());
    }

}
