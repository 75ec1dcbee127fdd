package dev.agenda.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.agenda.infra.browser.AxeAudit;
import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.NoticeKind;

/** The words of a notice's text and HTML, whatever the event's fields hold. */
class NoticeTextTest {

    private final NotificationProperties properties = new NotificationProperties(URI.create("https://n.example"),
            URI.create("https://site.example"), List.of(), null, Duration.ofDays(7), Duration.ofHours(1),
            new NotificationProperties.Mail("Agenda <agenda@agenda.test>", "u@agenda.test", "agenda.test"), null,
            null, null, null, null);
    private final MailComposer composer = new MailComposer(new Templates(), properties, Clock.systemUTC());
    private static final URI LINK = URI.create("https://n.example/l?token=t");

    private static EventSnapshot event(String title, EventSnapshot.Place place) {
        Instant starts = Instant.parse("2026-12-05T13:00:00Z");
        return new EventSnapshot("e1", 1, false, "atelier", title, "Première ligne.\nSeconde ligne.",
                List.of("Atelier"), List.of(), starts, starts.plus(Duration.ofHours(3)), "Europe/Paris", place,
                starts, starts);
    }

    private OutgoingMail notice(NoticeKind kind, EventSnapshot event) {
        return composer.notice(kind, event, false, "a@example.org", "1@id", LINK, LINK, "t");
    }

    @Test
    void lineBreaksInTheTitleOrThePlaceDoNotBreakTheirLine() {
        EventSnapshot event = event("Atelier\r\nBcc: x@example.org\u2028suite",
                new EventSnapshot.Place("Salle\nBleue", "20 avenue de Ségur\r\n75007 Paris", false));
        for (NoticeKind kind : NoticeKind.values()) {
            OutgoingMail mail = notice(kind, event);
            List<String> lines = mail.text().lines().toList();
            assertThat(lines).as(kind.name()).contains("Atelier Bcc: x@example.org suite")
                    .contains("Où : Salle Bleue, 20 avenue de Ségur 75007 Paris")
                    .noneMatch(l -> l.startsWith("Bcc:") || l.startsWith("75007") || l.equals("Bleue"));
            assertThat(mail.html()).as(kind.name())
                    .contains("<title>Atelier Bcc: x@example.org suite</title>")
                    .contains(">Atelier Bcc: x@example.org suite</h1>")
                    .contains("<td>Salle Bleue, 20 avenue de Ségur 75007 Paris</td>");
        }
        // The lead is a paragraph: its lines are its author's.
        assertThat(notice(NoticeKind.ANNOUNCEMENT, event).text().lines()).contains("Première ligne.", "Seconde ligne.");
    }

    @Test
    void theAttachmentIsSaidToAddUpdateOrRemoveTheEventAsItDoes() {
        EventSnapshot event = event("Atelier", new EventSnapshot.Place("Ségur", null, false));
        String add = "Le fichier joint ajoute l'événement à votre agenda.";
        String update = "Le fichier joint met à jour l'événement dans votre agenda.";
        String remove = "Le fichier joint le retire de votre agenda.";
        OutgoingMail announcement = notice(NoticeKind.ANNOUNCEMENT, event);
        OutgoingMail reschedule = notice(NoticeKind.RESCHEDULE, event);
        OutgoingMail cancellation = notice(NoticeKind.CANCELLATION, event);
        assertThat(announcement.text()).contains(add).doesNotContain(update).doesNotContain(remove);
        assertThat(reschedule.text()).contains(update).doesNotContain(add).doesNotContain(remove);
        assertThat(cancellation.text()).contains(remove).doesNotContain(add).doesNotContain(update);
        assertThat(announcement.html()).contains(add).doesNotContain("met à jour");
        assertThat(reschedule.html()).contains(update).doesNotContain("ajoute");
        assertThat(cancellation.html()).contains(remove).doesNotContain("ajoute").doesNotContain("met à jour");
    }

    /**
     * What subscribers read most, audited by axe-core in a real browser (WCAG 2.1 AA: language, headings, link names,
     * layout tables, contrast of the rendered colours).
     */
    @Test
    void everyEmailPassesAnAccessibilityAudit(@TempDir Path profile, @TempDir Path emails) throws Exception {
        Map<String, String> html = new LinkedHashMap<>();
        html.put("confirmation", composer.confirmation("a@example.org", LINK, "1@id").html());
        html.put("already-subscribed", composer.alreadySubscribed("a@example.org", LINK, "2@id").html());
        EventSnapshot event = event("Atelier accessibilité",
                new EventSnapshot.Place("Ségur", "20 avenue de Ségur, 75007 Paris", false));
        for (NoticeKind kind : NoticeKind.values()) {
            html.put(kind.name(), notice(kind, event).html());
        }
        html.put("withdrawn", composer.notice(NoticeKind.CANCELLATION, event, true, "a@example.org", "3@id", LINK, LINK,
                "t").html());

        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, String> email : html.entrySet()) {
            Path file = emails.resolve(email.getKey() + ".html");
            Files.writeString(file, AxeAudit.withAuditOfEmail(email.getValue()));
            AxeAudit.violations(file.toUri().toString(), profile).forEach(v -> violations.add(email.getKey() + ": " + v));
        }
        assertThat(violations).as("axe-core violations").isEmpty();
    }
}
