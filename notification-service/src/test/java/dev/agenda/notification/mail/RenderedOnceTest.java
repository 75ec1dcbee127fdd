package dev.agenda.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.NoticeKind;

/**
 * A notice is rendered once per event state and only its links change per recipient: what each recipient gets must
 * be exactly what rendering the templates for that recipient alone gives.
 */
class RenderedOnceTest {

    private final Templates templates = new Templates();
    private final NotificationProperties properties = new NotificationProperties(URI.create("https://n.example"),
            URI.create("https://site.example"), List.of(), null, Duration.ofDays(7), Duration.ofHours(1),
            new NotificationProperties.Mail("Agenda <agenda@agenda.test>", "u@agenda.test", "agenda.test"), null,
            null, null, null, null);
    private final MailComposer composer = new MailComposer(templates, properties, Clock.systemUTC());

    private static EventSnapshot event(String title) {
        Instant starts = Instant.parse("2026-12-05T13:00:00Z");
        return new EventSnapshot("e1", 1, false, "atelier", title, "Une <rencontre> & des \"échanges\".",
                List.of("Atelier"), List.of(), starts, starts.plus(Duration.ofHours(3)), "Europe/Paris",
                new EventSnapshot.Place("Ségur", "20 avenue de Ségur", false), starts, starts);
    }

    /** What the templates give for one recipient, rendered on their own. */
    private String direct(String template, EventSnapshot event, URI prefs, URI unsub) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("kind", "ANNOUNCEMENT");
        model.put("title", event.title());
        model.put("lead", LeadText.plain(event.lead()));
        model.put("leadHtml", LeadText.html(LeadText.plain(event.lead())));
        model.put("when", MailComposer.when(event));
        model.put("place", MailComposer.placeText(event.place()));
        model.put("online", false);
        model.put("eventUrl", composer.eventPage(event.slug()).toString());
        model.put("preferencesUrl", prefs.toString());
        model.put("unsubscribeUrl", unsub.toString());
        return templates.render(template, model);
    }

    @Test
    void eachRecipientGetsTheLinksOfItsOwnAndOtherwiseTheSameBytesAsARenderingOfItsOwn() {
        EventSnapshot event = event("Atelier <b>accessibilité</b> & co");
        for (String who : List.of("a", "b&c=1'\"<x>")) {
            URI prefs = URI.create("https://n.example/subscriptions/preferences?token=" + who.hashCode() + "&x=y");
            URI unsub = URI.create("https://n.example/subscriptions/unsubscribe?token=" + who.hashCode());
            OutgoingMail mail = composer.notice(NoticeKind.ANNOUNCEMENT, event, null, false, who + "@example.org",
                    who + "@id", prefs, unsub, "tok" + who.hashCode());
            assertThat(mail.text()).isEqualTo(direct("mail/notice.txt", event, prefs, unsub));
            assertThat(mail.html()).isEqualTo(direct("mail/notice.html", event, prefs, unsub));
            assertThat(mail.headers().get("List-Unsubscribe")).startsWith("<" + unsub + ">");
            assertThat(mail.to()).isEqualTo(who + "@example.org");
        }
    }

    @Test
    void aChangedEventIsRenderedAgain() {
        URI link = URI.create("https://n.example/l?token=t");
        OutgoingMail before = composer.notice(NoticeKind.ANNOUNCEMENT, event("Avant"), null, false, "a@example.org", "1@id",
                link, link, "t");
        OutgoingMail after = composer.notice(NoticeKind.ANNOUNCEMENT, event("Après"), null, false, "a@example.org", "2@id",
                link, link, "t");
        assertThat(before.subject()).endsWith("Avant");
        assertThat(after.subject()).endsWith("Après");
        assertThat(after.text()).contains("Après").doesNotContain("Avant");
    }

    @Test
    void aSharedBodyEncodesToQuotedPrintableThatDecodesToTheFilledInText() throws Exception {
        String longLine = "Les services publics numériques se réinventent : venez découvrir comment ".repeat(40);
        String rendered = "A{{P}}début é\n" + longLine + "fin de ligne avec espace {{P}}\n\nSe désabonner :\t{{U}}"
                + "{{P}}\r\n=égal " + longLine + "{{U}}";
        SharedBody body = new SharedBody(rendered, List.of("{{P}}", "{{U}}"));
        Map<String, String> values = Map.of("{{P}}", "https://n.example/p?token=a.b-c_d%3D&x=1 ",
                "{{U}}", "https://n.example/u?token=" + "z".repeat(120));
        String filled = body.fill(values);
        assertThat(filled).isEqualTo(rendered.replace("{{P}}", values.get("{{P}}")).replace("{{U}}",
                values.get("{{U}}")));

        byte[] encoded = body.encode(values);
        String wire = new String(encoded, java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(wire.split("\r\n", -1)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
        assertThat(wire).doesNotContain("\n\n").matches("[\\x20-\\x7e\\r\\n\\t]*");
        byte[] decoded = jakarta.mail.internet.MimeUtility.decode(new java.io.ByteArrayInputStream(encoded),
                "quoted-printable").readAllBytes();
        // Line breaks travel as CRLF, as with any text part.
        assertThat(new String(decoded, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(filled.replace("\r\n", "\n").replace("\n", "\r\n"));
    }
}
