package dev.agenda.publishing.site;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Dates as a French reader expects them: « jeudi 17 mars 2022, 13 h 45 – 14 h 45 », in the event's zone. */
final class FrenchDates {

    private static final DateTimeFormatter WEEKDAY = DateTimeFormatter.ofPattern("EEEE", Locale.FRENCH);
    private static final DateTimeFormatter MONTH_YEAR = DateTimeFormatter.ofPattern("MMMM uuuu", Locale.FRENCH);

    private FrenchDates() {
    }

    static String day(ZonedDateTime t) {
        int d = t.getDayOfMonth();
        return WEEKDAY.format(t) + " " + (d == 1 ? "1er" : Integer.toString(d)) + " " + MONTH_YEAR.format(t);
    }

    static String time(ZonedDateTime t) {
        return t.getHour() + " h " + (t.getMinute() < 10 ? "0" : "") + t.getMinute();
    }

    static String range(Instant start, Instant end, ZoneId zone) {
        if (start == null) {
            return "Date à venir";
        }
        ZonedDateTime s = start.atZone(zone);
        if (end == null || !end.isAfter(start)) {
            return day(s) + ", " + time(s);
        }
        ZonedDateTime e = end.atZone(zone);
        if (s.toLocalDate().equals(e.toLocalDate())) {
            return day(s) + ", " + time(s) + " – " + time(e);
        }
        return day(s) + ", " + time(s) + " – " + day(e) + ", " + time(e);
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
