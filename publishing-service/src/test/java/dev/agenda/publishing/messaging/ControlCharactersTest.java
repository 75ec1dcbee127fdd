package dev.agenda.publishing.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import dev.agenda.events.domain.Access;
import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.EventContent;
import dev.agenda.events.domain.EventStatus;
import dev.agenda.events.domain.Image;
import dev.agenda.events.domain.InfoRow;
import dev.agenda.publishing.SiteChecks;
import dev.agenda.publishing.event.SiteEvent;
import dev.agenda.publishing.site.SiteBuilder;
import dev.agenda.publishing.site.SiteProperties;
import dev.agenda.publishing.site.SiteRenderer;

/**
 * A record whose texts hold characters XML cannot carry (a NUL pasted into a venue, a vertical tab in a title, a
 * lone surrogate) must still become a page, a feed entry and an .ics: the Atom writer used to throw on them, so the
 * record went to the dead-letter topic, the event never reached the site, and every rebuild failed on it.
 */
class ControlCharactersTest {

    private static final String BAD = "\u0000\u0001\u000B\u001F\u007F\u0085\uFFFE\uFFFF\uD800";

    @Test
    void charactersXmlForbidsAreDroppedAndTheSiteBuilds() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        EventContent content = new EventContent("Atelier" + BAD + " données 🎉", now, "Un\tchapeau" + BAD + "\r\nsuite",
                "Atelier" + BAD, List.of("Atelier" + BAD), List.of("IA" + BAD),
                List.of(new Image("/uploads/a.png", "Légende" + BAD, "Texte" + BAD)),
                Instant.parse("2030-05-25T12:00:00Z"), Instant.parse("2030-05-25T14:00:00Z"), "Europe/Paris",
                "V" + BAD + "enue", "1 rue" + BAD + " X", true, List.of(new Access("Métro" + BAD, List.of("10" + BAD))),
                List.of(new InfoRow("Horaires" + BAD, "14h" + BAD, null)), "Corps" + BAD + "\n\n**gras**");
        Event event = new Event("0b5e3a52-7f7c-4a4b-9a43-3c2f1b1e9d11", "atelier-donnees", EventStatus.PUBLISHED, 3,
                content, now, now, now);

        SiteEvent site = EventMessages.toSiteEvent(dev.agenda.events.messaging.EventMessages.toEventPublished(event));

        assertThat(site.title()).isEqualTo("Atelier données 🎉");
        assertThat(site.lead()).isEqualTo("Un\tchapeau\r\nsuite");
        assertThat(site.location().name()).isEqualTo("Venue");
        assertThat(site.categories()).containsExactly("Atelier");
        assertThat(site.tags()).containsExactly("IA");
        assertThat(site.access().get(0).lines()).containsExactly("10");
        assertThat(site.infos().get(0).label()).isEqualTo("Horaires");
        assertThat(site.body()).isEqualTo("Corps\n\n**gras**");

        Path out = Path.of("target/control-characters-site");
        SiteRenderer renderer = new SiteRenderer(new SiteProperties(out, "https://agenda.example", "Agenda", null, 20,
                100, List.of(), Duration.ofSeconds(60)));
        SiteBuilder builder = new SiteBuilder(renderer, out.resolve("site"));
        builder.buildAll(List.of(site), Instant.parse("2030-01-01T00:00:00Z"));
        Path root = builder.root();

        Document page = SiteChecks.validHtml(SiteChecks.read(root.resolve("agenda/atelier-donnees/index.html")),
                "event page");
        assertThat(page.select("h1").text()).isEqualTo("Atelier données 🎉");
        assertThat(SiteChecks.validAtom(SiteChecks.read(root.resolve("agenda/feed.xml"))).getEntries())
                .singleElement().satisfies(entry -> assertThat(entry.getTitle()).isEqualTo("Atelier données 🎉"));
        SiteChecks.validIcs(SiteChecks.read(root.resolve("agenda/atelier-donnees/atelier-donnees.ics")));
    }
}
