package dev.agenda.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.NoticeKind;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;

/** The email's calendar attachment as RFC 5545 and calendar importers read it. */
class IcsAttachmentTest {

    private static final String TITLE = "Journée « Numérique responsable » : écoconception, sobriété et accessibilité "
            + "des démarches 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉 à l’école";
    private static final String LEAD = "Prendre en compte l’accessibilité dans toutes les étapes de design d’un "
            + "service numérique ; à Nouméa, Cayenne et Saint-Étienne.\nDeuxième ligne, « guillemets » et \\ barre.";

    private static EventSnapshot event() {
        return new EventSnapshot("a1", 3, false, "journee", TITLE, LEAD, List.of(), List.of(),
                Instant.parse("2023-11-28T08:00:00Z"), Instant.parse("2023-11-28T10:00:00Z"), "Europe/Paris",
                new EventSnapshot.Place("Hôtel de Matignon", "57 rue de Varenne, 75007 Paris", false),
                Instant.EPOCH, Instant.parse("2023-11-01T10:00:00Z"));
    }

    @Test
    void linesAreFoldedAt75OctetsNotCharactersAndNeverInsideACharacter() throws Exception {
        String ics = new String(IcsWriter.write(event(), false, URI.create("https://agenda.example/agenda/journee/"),
                    new IcsWriter.Sender("agenda@agenda.test", "Agenda")),
                StandardCharsets.UTF_8);
        assertThat(ics).endsWith("\r\n");
        for (String line : ics.split("\r\n")) {
            byte[] octets = line.getBytes(StandardCharsets.UTF_8);
            assertThat(octets.length).as("octets of %s", line).isLessThanOrEqualTo(75);
            // A surrogate pair split across a fold is a lone surrogate on each line, encoded as '?'.
            assertThat(new String(octets, StandardCharsets.UTF_8)).isEqualTo(line);
        }
        Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
        var vevent = calendar.getComponents("VEVENT").get(0);
        assertThat(vevent.getProperty("SUMMARY").orElseThrow().getValue()).isEqualTo(TITLE);
        assertThat(vevent.getProperty("DESCRIPTION").orElseThrow().getValue()).isEqualTo(LEAD);
        assertThat(vevent.getProperty("LOCATION").orElseThrow().getValue())
                .isEqualTo("Hôtel de Matignon, 57 rue de Varenne, 75007 Paris");
    }

    @Test
    void aCarriageReturnInTheLeadOrThePlaceCannotAddAPropertyToTheCalendar() throws Exception {
        // ical4j escapes "\n" and "\r\n" in a value but wrote a lone "\r" as it was, which parsers take for the end
        // of the content line: what followed became a property of its own.
        EventSnapshot hostile = new EventSnapshot("a2", 3, false, "journee", "Atelier",
                "Chapeau\rATTACH:https://evil.example/x.exe", List.of(), List.of(),
                Instant.parse("2023-11-28T08:00:00Z"), Instant.parse("2023-11-28T10:00:00Z"), "Europe/Paris",
                new EventSnapshot.Place("Salle\rBEGIN:VALARM", "Paris\u2028TRIGGER:-PT5M", false), Instant.EPOCH,
                Instant.parse("2023-11-01T10:00:00Z"));
        String ics = new String(IcsWriter.write(hostile, false, URI.create("https://agenda.example/agenda/journee/"),
                new IcsWriter.Sender("agenda@agenda.test", "Agenda")), StandardCharsets.UTF_8);

        assertThat(ics.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        assertThat(ics.split("\r\n")).noneMatch(line -> line.matches("(ATTACH|BEGIN:VALARM|TRIGGER|UID:forged).*"))
                .filteredOn("BEGIN:VEVENT"::equals).hasSize(1);
        var vevent = new CalendarBuilder().build(new StringReader(ics)).getComponents("VEVENT").get(0);
        assertThat(vevent.getProperty("ATTACH")).isEmpty();
        assertThat(vevent.getProperty("DESCRIPTION").orElseThrow().getValue())
                .isEqualTo("Chapeau\nATTACH:https://evil.example/x.exe");
        assertThat(vevent.getProperty("LOCATION").orElseThrow().getValue())
                .isEqualTo("Salle BEGIN:VALARM, Paris TRIGGER:-PT5M");
    }

    @Test
    void announcementsAndCancellationsAreValidItipMessagesWithTheSenderAsOrganizer() throws Exception {
        // RFC 5546 §3.2.1 and §3.2.5: a PUBLISH or a CANCEL has exactly one ORGANIZER; clients that apply a CANCEL
        // (Outlook, Gmail) match it to the event by UID and organizer.
        NotificationProperties properties = new NotificationProperties(URI.create("https://n.example"),
                URI.create("https://site.example"), List.of(), null, Duration.ofDays(7), Duration.ofHours(1),
                new NotificationProperties.Mail("Agenda du numérique <agenda@agenda.test>", "u@agenda.test",
                        "agenda.test"), null, null, null, null, null);
        MailComposer composer = new MailComposer(new Templates(), properties, Clock.systemUTC());
        URI link = URI.create("https://n.example/l?token=t");
        for (NoticeKind kind : NoticeKind.values()) {
            OutgoingMail mail = composer.notice(kind, event(), null, false, "a@example.org", "1@id", link, link, "t");
            String ics = new String(mail.attachments().get(0).content(), StandardCharsets.UTF_8);
            Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
            assertThat(calendar.validate().getEntries()).as(kind + "\n" + ics).isEmpty();
            var organizer = calendar.getComponents("VEVENT").get(0).getProperty("ORGANIZER").orElseThrow();
            assertThat(organizer.getValue()).isEqualTo("mailto:agenda@agenda.test");
            assertThat(organizer.getParameter("CN").orElseThrow().getValue()).isEqualTo("Agenda du numérique");
            assertThat(calendar.getProperty("METHOD").orElseThrow().getValue())
                    .isEqualTo(kind == NoticeKind.CANCELLATION ? "CANCEL" : "PUBLISH");
        }
    }
}
