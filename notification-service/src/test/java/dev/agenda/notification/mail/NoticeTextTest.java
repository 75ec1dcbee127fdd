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
import dev.agenda.notification.event.ScheduleChange;

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
        return composer.notice(kind, event, null, false, "a@example.org", "1@id", LINK, LINK, "t");
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

    @Test
    void aRescheduleSaysWhatChangedAndShowsWhatWasAnnouncedBefore() {
        EventSnapshot before = event("Atelier", new EventSnapshot.Place("Ségur", null, false));
        EventSnapshot nextDay = moved(before, Duration.ofDays(1), before.place());
        OutgoingMail date = composer.notice(NoticeKind.RESCHEDULE, nextDay, new ScheduleChange(before, false), false,
                "a@example.org", "1@id", LINK, LINK, "t");
        assertThat(date.subject()).isEqualTo("Nouvelle date : Atelier");
        assertThat(date.text().lines()).contains("NOUVELLE DATE",
                "Quand : dimanche 6 décembre 2026, de 14 h 00 à 17 h 00 (heure de Paris)",
                "Auparavant : samedi 5 décembre 2026, de 14 h 00 à 17 h 00 (heure de Paris)", "Où : Ségur")
                .noneMatch(l -> l.startsWith("Ancien lieu"));
        assertThat(date.html()).contains(">Nouvelle date</p>")
                .contains("<del>samedi 5 décembre 2026, de 14 h 00 à 17 h 00 (heure de Paris)</del>");

        EventSnapshot later = moved(before, Duration.ofHours(2), before.place());
        assertThat(composer.notice(NoticeKind.RESCHEDULE, later, new ScheduleChange(before, false), false,
                "a@example.org", "2@id", LINK, LINK, "t").subject()).isEqualTo("Nouvel horaire : Atelier");

        // Same first day, one more day on: a new date, not new hours. As with a whole-day event gaining a day.
        EventSnapshot longer = new EventSnapshot(before.eventId(), 3, false, before.slug(), before.title(),
                before.lead(), before.categories(), before.tags(), before.startsAt(),
                before.endsAt().plus(Duration.ofDays(1)), before.timeZone(), before.place(), before.firstPublishedAt(),
                before.updatedAt());
        assertThat(composer.notice(NoticeKind.RESCHEDULE, longer, new ScheduleChange(before, false), false,
                "a@example.org", "6@id", LINK, LINK, "t").subject()).isEqualTo("Nouvelle date : Atelier");
        Instant july14 = Instant.parse("2030-07-13T22:00:00Z");
        EventSnapshot twoDays = new EventSnapshot("e2", 1, false, "salon", "Salon", null, List.of(), List.of(), july14,
                july14.plus(Duration.ofDays(1)), "Europe/Paris", null, july14, july14);
        EventSnapshot threeDays = new EventSnapshot("e2", 2, false, "salon", "Salon", null, List.of(), List.of(),
                july14, july14.plus(Duration.ofDays(2)), "Europe/Paris", null, july14, july14);
        assertThat(composer.notice(NoticeKind.RESCHEDULE, threeDays, new ScheduleChange(twoDays, false), false,
                "a@example.org", "7@id", LINK, LINK, "t").subject()).isEqualTo("Nouvelle date : Salon");

        EventSnapshot elsewhere = moved(before, Duration.ZERO, new EventSnapshot.Place("Salle <b>Bleue</b>", null,
                false));
        OutgoingMail place = composer.notice(NoticeKind.RESCHEDULE, elsewhere, new ScheduleChange(before, false),
                false, "a@example.org", "3@id", LINK, LINK, "t");
        assertThat(place.subject()).isEqualTo("Nouveau lieu : Atelier");
        assertThat(place.text().lines()).contains("Où : Salle <b>Bleue</b>", "Ancien lieu : Ségur")
                .noneMatch(l -> l.startsWith("Auparavant"));
        assertThat(place.html()).contains("<td>Salle &lt;b&gt;Bleue&lt;/b&gt;</td>").contains("<del>Ségur</del>");

        EventSnapshot both = moved(before, Duration.ofDays(7), elsewhere.place());
        assertThat(composer.notice(NoticeKind.RESCHEDULE, both, new ScheduleChange(before, false), false,
                "a@example.org", "4@id", LINK, LINK, "t").subject()).isEqualTo("Nouvelle date et nouveau lieu : Atelier");

        // A cancellation never received, taken back: as announced.
        OutgoingMail unchanged = composer.notice(NoticeKind.RESCHEDULE, moved(before, Duration.ZERO, before.place()),
                new ScheduleChange(before, false), false, "a@example.org", "5@id", LINK, LINK, "t");
        assertThat(unchanged.subject()).isEqualTo("Maintenu : Atelier");
        assertThat(unchanged.text()).contains("Cet événement aura lieu comme annoncé.").doesNotContain("Auparavant");

        // Unknown change (the decisions before it were removed with an old delivery log): the general wording.
        OutgoingMail unknown = notice(NoticeKind.RESCHEDULE, nextDay);
        assertThat(unknown.subject()).isEqualTo("Changement de date, d'horaire ou de lieu : Atelier");
        assertThat(unknown.text()).doesNotContain("Auparavant");
    }

    @Test
    void anEventBackOnAfterItsCancellationIsSaidToTakePlaceAfterAll() {
        EventSnapshot before = event("Atelier", new EventSnapshot.Place("Ségur", null, false));
        EventSnapshot backOn = moved(before, Duration.ZERO, before.place());
        OutgoingMail same = composer.notice(NoticeKind.RESCHEDULE, backOn, new ScheduleChange(before, true), false,
                "a@example.org", "1@id", LINK, LINK, "t");
        assertThat(same.subject()).isEqualTo("Finalement maintenu : Atelier");
        assertThat(same.text()).contains("FINALEMENT MAINTENU")
                .contains("Cet événement, annoncé comme annulé, aura bien lieu. Le fichier joint le remet dans votre "
                        + "agenda.")
                .doesNotContain("Auparavant").doesNotContain("met à jour");
        assertThat(same.html()).contains(">Finalement maintenu</p>").contains("aura bien lieu");

        OutgoingMail moved = composer.notice(NoticeKind.RESCHEDULE, moved(before, Duration.ofDays(1), before.place()),
                new ScheduleChange(before, true), false, "a@example.org", "2@id", LINK, LINK, "t");
        assertThat(moved.subject()).isEqualTo("Finalement maintenu, nouvelle date : Atelier");
        assertThat(moved.text()).contains("Auparavant : samedi 5 décembre 2026");
    }

    @Test
    void anEventEndingAsItStartsIsAMoment() {
        Instant at = Instant.parse("2026-12-05T13:00:00Z");
        EventSnapshot moment = new EventSnapshot("e3", 1, false, "point", "Point", null, List.of(), List.of(), at, at,
                "Europe/Paris", null, at, at);
        assertThat(MailComposer.when(moment)).isEqualTo("samedi 5 décembre 2026 à 14 h 00 (heure de Paris)");
    }

    private static EventSnapshot moved(EventSnapshot event, Duration by, EventSnapshot.Place place) {
        return new EventSnapshot(event.eventId(), event.revision() + 2, false, event.slug(), event.title(),
                event.lead(), event.categories(), event.tags(), event.startsAt().plus(by), event.endsAt().plus(by),
                event.timeZone(), place, event.firstPublishedAt(), event.updatedAt());
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
        html.put("rescheduled, with what was before", composer.notice(NoticeKind.RESCHEDULE,
                moved(event, Duration.ofDays(1), new EventSnapshot.Place("Salle Bleue", null, false)),
                new ScheduleChange(event, false), false, "a@example.org", "4@id", LINK, LINK, "t").html());
        html.put("back on", composer.notice(NoticeKind.RESCHEDULE, moved(event, Duration.ZERO, event.place()),
                new ScheduleChange(event, true), false, "a@example.org", "5@id", LINK, LINK, "t").html());
        html.put("withdrawn", composer.notice(NoticeKind.CANCELLATION, event, null, true, "a@example.org", "3@id", LINK, LINK,
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
