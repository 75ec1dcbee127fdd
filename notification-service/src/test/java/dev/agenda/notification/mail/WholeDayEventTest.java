package dev.agenda.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.event.EventSnapshot;

/** Whole-day events (midnight to midnight of the last day, as the corpus records them): dates only, as on the site. */
class WholeDayEventTest {

    private static EventSnapshot event(String id, String start, String end) {
        return new EventSnapshot(id, 1, false, "ethics", "Ethics by Design", null, List.of(), List.of(),
                Instant.parse(start), end == null ? null : Instant.parse(end), "Europe/Paris",
                new EventSnapshot.Place("Nantes", null, false), Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void emailsShowDaysNotMidnightAndTheirCalendarHasDates() {
        EventSnapshot threeDays = event("w1", "2022-11-15T23:00:00Z", "2022-11-17T23:00:00Z");
        // Worded as the event's page words it (the month and year are said once).
        assertThat(MailComposer.when(threeDays)).isEqualTo("du mercredi 16 au vendredi 18 novembre 2022");
        assertThat(MailComposer.when(event("w3", "2022-12-30T23:00:00Z", "2022-12-31T23:00:00Z")))
                .isEqualTo("du samedi 31 décembre 2022 au dimanche 1er janvier 2023");
        assertThat(MailComposer.when(event("w2", "2022-11-15T23:00:00Z", null))).isEqualTo("mercredi 16 novembre 2022");
        String ics = new String(IcsWriter.write(threeDays, false, URI.create("https://agenda.example/agenda/ethics/"),
                new IcsWriter.Sender("agenda@agenda.test", null)),
                StandardCharsets.UTF_8);
        assertThat(ics).contains("DTSTART;VALUE=DATE:20221116").contains("DTEND;VALUE=DATE:20221119");
    }

    @Test
    void aWholeDayEventIsOverOnlyOnceItsLastDayIs() {
        EventSnapshot threeDays = event("w3", "2022-11-15T23:00:00Z", "2022-11-17T23:00:00Z");
        assertThat(threeDays.isOverAt(Instant.parse("2022-11-18T12:00:00Z"))).isFalse();
        assertThat(threeDays.isOverAt(Instant.parse("2022-11-18T23:00:00Z"))).isTrue();
        // A timed event is over at its end.
        EventSnapshot timed = event("w4", "2022-11-16T09:00:00Z", "2022-11-16T11:00:00Z");
        assertThat(MailComposer.when(timed)).contains("10 h 00").contains("12 h 00");
        assertThat(timed.isOverAt(Instant.parse("2022-11-16T11:00:01Z"))).isTrue();
    }

    @Test
    void timesAreGivenInTheEventsZoneNamedInFrench() {
        EventSnapshot paris = event("w7", "2022-11-16T09:00:00Z", "2022-11-16T11:00:00Z");
        EventSnapshot cayenne = new EventSnapshot("w8", 1, false, "w8", "Atelier", null, List.of(), List.of(),
                Instant.parse("2022-11-16T12:45:00Z"), Instant.parse("2022-11-16T13:45:00Z"), "America/Cayenne", null,
                null, null);
        assertThat(MailComposer.when(paris)).endsWith("de 10 h 00 à 12 h 00 (heure de Paris)");
        assertThat(MailComposer.when(cayenne)).isEqualTo(
                "mercredi 16 novembre 2022, de 9 h 45 à 10 h 45 (heure de Guyane française)");
    }

    @Test
    void datesAndTimesAreWrittenAsOnTheSite() {
        EventSnapshot first = event("w9", "2025-03-01T08:30:00Z", "2025-03-01T10:00:00Z");
        assertThat(MailComposer.when(first))
                .isEqualTo("samedi 1er mars 2025, de 9 h 30 à 11 h 00 (heure de Paris)");
        assertThat(MailComposer.when(event("w10", "2025-03-01T23:00:00Z", null))).isEqualTo("dimanche 2 mars 2025");
    }

    @Test
    void anEveningEndingAtMidnightIsOnOneDay() {
        EventSnapshot evening = event("w5", "2022-11-16T19:00:00Z", "2022-11-16T23:00:00Z");
        assertThat(MailComposer.when(evening))
                .isEqualTo("mercredi 16 novembre 2022, de 20 h 00 à minuit (heure de Paris)");
        EventSnapshot night = event("w6", "2022-11-16T21:00:00Z", "2022-11-17T03:00:00Z");
        assertThat(MailComposer.when(night)).startsWith("du mercredi 16 novembre 2022 à 22 h 00 au jeudi 17 novembre");
    }
}
