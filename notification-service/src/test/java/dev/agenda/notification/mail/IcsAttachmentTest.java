package dev.agenda.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.event.EventSnapshot;
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
        String ics = new String(IcsWriter.write(event(), false, URI.create("https://agenda.example/agenda/journee/")),
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
}
