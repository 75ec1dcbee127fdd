package dev.agenda.publishing.site;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.agenda.publishing.event.SiteEvent;

/** Dates as a French reader expects them: « jeudi 17 mars 2022, 13 h 45 – 14 h 45 », in the event's zone. */
final class FrenchDates {

    private static final DateTimeFormatter WEEKDAY = DateTimeFormatter.ofPattern("EEEE", Locale.FRENCH);
    private static final DateTimeFormatter MONTH_YEAR = DateTimeFormatter.ofPattern("MMMM uuuu", Locale.FRENCH);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM", Locale.FRENCH);

    private FrenchDates() {
    }

    static String day(ZonedDateTime t) {
        return day(t.toLocalDate());
    }

    static String day(LocalDate d) {
        return WEEKDAY.format(d) + " " + dayOfMonth(d) + " " + MONTH_YEAR.format(d);
    }

    static String time(ZonedDateTime t) {
        return t.getHour() + " h " + (t.getMinute() < 10 ? "0" : "") + t.getMinute();
    }

    static String range(Instant start, Instant end, ZoneId zone) {
        if (start == null) {
            return "Date à venir";
        }
        if (SiteEvent.allDay(start, end, zone)) {
            return days(start.atZone(zone).toLocalDate(), SiteEvent.lastDay(start, end, zone));
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

    /**
     * Whole days: « mercredi 16 novembre 2022 », « du mercredi 16 au vendredi 18 novembre 2022 », « du mercredi 30
     * novembre au vendredi 2 décembre 2022 », « du samedi 31 décembre 2022 au dimanche 1er janvier 2023 ».
     */
    static String days(LocalDate first, LocalDate last) {
        if (!last.isAfter(first)) {
            return day(first);
        }
        String from;
        if (first.getYear() != last.getYear()) {
            from = day(first);
        } else if (first.getMonth() != last.getMonth()) {
            from = WEEKDAY.format(first) + " " + dayOfMonth(first) + " " + MONTH.format(first);
        } else {
            from = WEEKDAY.format(first) + " " + dayOfMonth(first);
        }
        return "du " + from + " au " + day(last);
    }

    private static String dayOfMonth(LocalDate d) {
        return d.getDayOfMonth() == 1 ? "1er" : Integer.toString(d.getDayOfMonth());
    }

    /** Short form for listings: « 17 mars 2022 ». */
    static String shortDay(Instant start, ZoneId zone) {
        if (start == null) {
            return "";
        }
        ZonedDateTime s = start.atZone(zone);
        return (s.getDayOfMonth() == 1 ? "1er" : Integer.toString(s.getDayOfMonth())) + " " + MONTH_YEAR.format(s);
    }
}
