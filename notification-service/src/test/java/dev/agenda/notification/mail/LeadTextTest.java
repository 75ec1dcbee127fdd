package dev.agenda.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Corpus leads are kramdown: the notices and their calendar show their text, not their syntax. */
class LeadTextTest {

    private static final String CORPUS_LEAD = "Dans le cadre de la [semaine de l’innovation publique]"
            + "(http://www.modernisation.gouv.fr/la-semaine-de-linnovation-publique){:target=\"_blank\"}, "
            + "une **2e promotion d’entrepreneur•es** au premier <span lang=\"en\">meetup</span> &amp; *plus*.\n"
            + "Voir le [Forum](/agenda/forum-emploi-tech-etat-2021/) ou 2 * 3 = 6.";
    private static final String TEXT = "Dans le cadre de la semaine de l’innovation publique "
            + "(http://www.modernisation.gouv.fr/la-semaine-de-linnovation-publique), une 2e promotion "
            + "d’entrepreneur•es au premier meetup & plus.\nVoir le Forum ou 2 * 3 = 6.";

    @Test
    void theNoticeItsHtmlAndItsCalendarShowTheLeadsTextNotItsMarkdown() throws Exception {
        NotificationProperties properties = new NotificationProperties(URI.create("https://n.example"),
                URI.create("https://site.example"), List.of(), null, Duration.ofDays(7), Duration.ofHours(1),
                new NotificationProperties.Mail("Agenda <agenda@agenda.test>", "u@agenda.test", "agenda.test"), null,
                null, null, null, null);
        MailComposer composer = new MailComposer(new Templates(), properties, Clock.systemUTC());
        Instant starts = Instant.parse("2026-12-05T13:00:00Z");
        EventSnapshot event = new EventSnapshot("l1", 1, false, "sip", "Semaine", CORPUS_LEAD, List.of(), List.of(),
                starts, starts.plus(Duration.ofHours(2)), "Europe/Paris", null, starts, starts);
        URI link = URI.create("https://n.example/l?token=t");
        OutgoingMail mail = composer.notice(NoticeKind.ANNOUNCEMENT, event, null, false, "a@example.org", "1@id", link,
                link, "t");
        assertThat(mail.text()).contains(TEXT).doesNotContain("**").doesNotContain("{:").doesNotContain("](");
        assertThat(mail.html()).contains("semaine de l’innovation publique (<a href=\"http://www.modernisation.gouv.fr/")
                .doesNotContain("**").doesNotContain("{:").doesNotContain("&lt;span");
        String ics = new String(mail.attachments().get(0).content(), StandardCharsets.UTF_8);
        var calendar = new net.fortuna.ical4j.data.CalendarBuilder().build(new java.io.StringReader(ics));
        assertThat(calendar.getComponents("VEVENT").get(0).getProperty("DESCRIPTION").orElseThrow().getValue())
                .isEqualTo(TEXT);
    }

    @Test
    void plainLeadsAreUnchanged() {
        assertThat(LeadText.plain("Première ligne.\nSeconde ligne, 14h-18h : entrée libre !"))
                .isEqualTo("Première ligne.\nSeconde ligne, 14h-18h : entrée libre !");
        assertThat(LeadText.plain("[https://a.example](https://a.example)")).isEqualTo("https://a.example");
    }

    /** The HTML part showed the lead as one run-on paragraph: « …par l'IA. * équipes mixtes * jury », links dead. */
    @Test
    void theHtmlPartKeepsTheLeadsParagraphsLinesListsAndLinks() {
        String plain = LeadText.plain("Un hackathon pour des services **augmentés** par l'IA.\n\n* équipes mixtes\n"
                + "* jury le 2e jour\nInscription sur [Etalab](https://www.etalab.gouv.fr/).\nEntrée libre.");
        org.jsoup.nodes.Document html = org.jsoup.Jsoup.parseBodyFragment(LeadText.html(plain));
        assertThat(html.select("p").first().text()).isEqualTo("Un hackathon pour des services augmentés par l'IA.");
        assertThat(html.select("ul li")).extracting(org.jsoup.nodes.Element::text)
                .containsExactly("équipes mixtes", "jury le 2e jour");
        assertThat(html.select("ul + p br")).hasSize(1);
        assertThat(html.select("a").attr("href")).isEqualTo("https://www.etalab.gouv.fr/");
        assertThat(html.text()).doesNotContain("*");

        org.jsoup.nodes.Document hostile = org.jsoup.Jsoup.parseBodyFragment(LeadText.html(
                "<b onmouseover=x>gras</b> \"https://a.example/x?a=1&b=\"><script>\" fin"));
        assertThat(hostile.select("b, script, [onmouseover]")).isEmpty();
        assertThat(hostile.select("a").attr("href")).isEqualTo("https://a.example/x?a=1&b=\"");
    }

    @Test
    void scriptsSpanningLinesGoWholeAndOnlyFollowableAddressesAreShown() {
        assertThat(LeadText.plain("Avant\n<script>\nalert('multi');\n</script>\n<style>\np { color: red }\n</style>Après"))
                .isEqualTo("Avant\n\nAprès");
        assertThat(LeadText.plain("Voir [ici](javascript:alert(2)) et <a href=\"https://ds.example/f\">S'inscrire</a>"))
                .isEqualTo("Voir ici et S'inscrire (https://ds.example/f)");
    }

    @Test
    void anAutomaticLinkKeepsItsAddressAsItsText() {
        assertThat(LeadText.plain("Programme : <https://example.org/auto>, écrire à <contact@example.org>."))
                .isEqualTo("Programme : https://example.org/auto, écrire à contact@example.org.");
        assertThat(LeadText.html(LeadText.plain("Voir <https://example.org/auto>")))
                .isEqualTo("<p>Voir <a href=\"https://example.org/auto\">https://example.org/auto</a></p>");
        // Its query string as written, not « §ion » nor « © » (the HTML reading decodes entities).
        assertThat(LeadText.plain("Voir <https://ex.org/?id=1&section=3&copy=2>."))
                .isEqualTo("Voir https://ex.org/?id=1&section=3&copy=2.");
        assertThat(LeadText.plain("R&D : <a href=\"https://ex.org/?a=1&not=2&amp;b=3\">lien</a>"))
                .isEqualTo("R&D : lien (https://ex.org/?a=1&not=2&b=3)");
        // A tag is still a tag.
        assertThat(LeadText.plain("Un <span lang=\"en\">meetup</span>")).isEqualTo("Un meetup");
    }
}
