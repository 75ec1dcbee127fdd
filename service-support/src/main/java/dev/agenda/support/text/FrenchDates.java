package dev.agenda.support.text;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Dates and times as a French reader expects them, the same on the site and in the emails: « samedi 1er mars 2025 »,
 * « 9 h 30 », « du mercredi 16 au vendredi 18 novembre 2022 ».
 */
public final class FrenchDates {

    private static final DateTimeFormatter WEEKDAY = DateTimeFormatter.ofPattern("EEEE", Locale.FRENCH);
    private static final DateTimeFormatter MONTH_YEAR = DateTimeFormatter.ofPattern("MMMM uuuu", Locale.FRENCH);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM", Locale.FRENCH);

    private FrenchDates() {
    }

    /** « samedi 1er mars 2025 ». */
    public static String day(LocalDate d) {
        return WEEKDAY.format(d) + " " + dayOfMonth(d) + " " + MONTH_YEAR.format(d);
    }

    /** « 9 h 30 », « 14 h 05 » (French typography), not « 09h30 ». */
    public static String time(LocalTime t) {
        return t.getHour() + " h " + (t.getMinute() < 10 ? "0" : "") + t.getMinute();
    }

    /**
     * Whole days: « mercredi 16 novembre 2022 », « du mercredi 16 au vendredi 18 novembre 2022 », « du mercredi 30
     * novembre au vendredi 2 décembre 2022 », « du samedi 31 décembre 2022 au dimanche 1er janvier 2023 ».
     */
    public static String days(LocalDate first, LocalDate last) {
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

    /** Short form for listings: « 17 mars 2022 », « 1er avril 2022 ». */
    public static String shortDay(LocalDate d) {
        return dayOfMonth(d) + " " + MONTH_YEAR.format(d);
    }

    private static String dayOfMonth(LocalDate d) {
        return d.getDayOfMonth() == 1 ? "1er" : Integer.toString(d.getDayOfMonth());
    }
}
