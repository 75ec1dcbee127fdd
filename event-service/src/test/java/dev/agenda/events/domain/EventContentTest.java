package dev.agenda.events.domain;

import static dev.agenda.events.domain.EventRulesTest.content;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** When an event is over, the instant a search by date window compares with (and the site lists it as past). */
class EventContentTest {

    private static Instant at(String offsetDateTime) {
        return java.time.OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    @Test
    void aWholeDayEventIsOverAsItsLastDayEndsWhichItsEndIncludes() {
        // The corpus' convention: midnight to midnight of the last day, that day included.
        assertThat(content("Salon", at("2032-07-01T00:00+02:00"), at("2032-07-03T00:00+02:00")).over())
                .isEqualTo(at("2032-07-04T00:00+02:00"));
        assertThat(content("Journée", at("2032-07-01T00:00+02:00"), null).over())
                .isEqualTo(at("2032-07-02T00:00+02:00"));
    }

    @Test
    void aTimedEventIsOverAtItsEndOrWithoutOneAsItsDayEnds() {
        assertThat(content("Atelier", at("2032-07-01T10:00+02:00"), at("2032-07-01T12:00+02:00")).over())
                .isEqualTo(at("2032-07-01T12:00+02:00"));
        // Ending at midnight: it is over then, its last day is not the next one.
        assertThat(content("Soirée", at("2032-07-01T20:00+02:00"), at("2032-07-02T00:00+02:00")).over())
                .isEqualTo(at("2032-07-02T00:00+02:00"));
        assertThat(content("Meetup", at("2032-07-01T18:30+02:00"), null).over())
                .isEqualTo(at("2032-07-02T00:00+02:00"));
    }

    @Test
    void daysAreThoseOfTheEventsTimeZoneAndAnUndatedEventIsNeverOver() {
        EventContent montreal = new EventContent("Forum", null, null, null, null, null, null,
                at("2032-07-01T00:00-04:00"), null, "America/Montreal", null, null, false, null, null, null);
        assertThat(montreal.over()).isEqualTo(at("2032-07-02T00:00-04:00"));
        // Midnight in Paris is not midnight in Montréal: a timed event there, over as its Montréal day ends.
        EventContent parisMidnight = new EventContent("Forum", null, null, null, null, null, null,
                at("2032-07-01T00:00+02:00"), null, "America/Montreal", null, null, false, null, null, null);
        assertThat(parisMidnight.over()).isEqualTo(at("2032-07-01T00:00-04:00"));
        assertThat(content("Brouillon", null, null).over()).isNull();
    }

    @Test
    void aBodyKeepsItsFirstLinesIndentationAndLosesOnlyItsLayout() {
        assertThat(EventContent.body("\r\n  \n    $ curl https://example.org\r\n    $ echo ok\r\n\r\nFin.  \n\n"))
                .isEqualTo("    $ curl https://example.org\n    $ echo ok\n\nFin.");
        assertThat(EventContent.body(" \n\t\r\n")).isNull();
        assertThat(EventContent.body(null)).isNull();
        String kept = "    code\n\ntexte";
        assertThat(EventContent.body(kept)).isEqualTo(kept);
    }
}
