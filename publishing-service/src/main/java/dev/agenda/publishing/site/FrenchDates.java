package dev.agenda.publishing.site;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.agenda.publishing.event.SiteEvent;

/**
 * An event's dates on its page and in listings: « jeudi 17 mars 2022, 13 h 45 – 14 h 45 », in the event's zone, with
 * the words the emails use too ({@link dev.agenda.support.text.FrenchDates}).
 */
final class FrenchDates {

    private FrenchDates() {
    }

    private static String day(ZonedDateTime t) {
        return dev.agenda.support.text.FrenchDates.day(t.toLocalDate());
    }

    private static String time(ZonedDateTime t) {
        return dev.agenda.support.text.FrenchDates.time(t.toLocalTime());
    }

    static String range(Instant start, Instant end, ZoneId zone) {
        if (start == null) {
            return "Date à venir";
        }
        if (SiteEvent.allDay(start, end, zone)) {
            return dev.agenda.support.text.FrenchDates.days(start.atZone(zone).toLocalDate(),
                    SiteEvent.lastDay(start, end, zone));
        }
        ZonedDateTime s = start.atZone(zone);
        if (end == null || !end.isAfter(start)) {
            return day(s) + ", " + time(s) + zoneNote(s);
        }
        ZonedDateTime e = end.atZone(zone);
        if (s.toLocalDate().equals(e.toLocalDate())) {
            return day(s) + ", " + time(s) + " – " + time(e) + zoneNote(s);
        }
        if (SiteEvent.lastDayOn(start, end, zone).equals(s.toLocalDate())) {
            // An evening that ends as the next day begins is on one day, as the date filter counts it.
            return day(s) + ", " + time(s) + " – minuit" + zoneNote(s);
        }
        return day(s) + ", " + time(s) + " – " + day(e) + ", " + time(e) + zoneNote(s);
    }

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("vvvv", Locale.FRENCH);

    /**
     * The agenda is read in metropolitan France: times of an event held elsewhere (« heure de Guyane française », an
     * online event set in Nouméa) are in its own zone, which the reader must be told, or they would join hours off.
     * Nothing when the zone's clock reads as Paris' at that time.
     */
    private static String zoneNote(ZonedDateTime start) {
        if (start.getOffset().equals(PARIS.getRules().getOffset(start.toInstant()))) {
            return "";
        }
        String name = ZONE_NAME.format(start);
        return " (" + Character.toLowerCase(name.charAt(0)) + name.substring(1) + ")";
    }

    /** Short form for listings: « 17 mars 2022 ». */
    static String shortDay(Instant start, ZoneId zone) {
        if (start == null) {
            return "";
        }
        return dev.agenda.support.text.FrenchDates.shortDay(start.atZone(zone).toLocalDate());
    }
}
