package dev.agenda.publishing.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import dev.agenda.publishing.SiteChecks;
import dev.agenda.publishing.event.SiteEvent;
import dev.agenda.publishing.site.SiteBuilder;
import dev.agenda.publishing.site.SiteRenderer;

/**
 * Every file of the real corpus that the event-service's importer accepts, through the same Avro mapping the relay
 * uses and this service's own mapping, rendered into a site: each page carries its title, dates and info rows, and
 * every file of the site validates.
 */
class CorpusRenderingTest {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.FRENCH);
    private static final DateTimeFormatter WEEKDAY = DateTimeFormatter.ofPattern("EEEE", Locale.FRENCH);
    private static final DateTimeFormatter MONTH_YEAR = DateTimeFormatter.ofPattern("MMMM uuuu", Locale.FRENCH);

    private static String dayOfMonth(int day) {
        return day == 1 ? "1er" : Integer.toString(day);
    }

    @Test
    void everyAcceptedCorpusEventRenders() throws IOException {
        Path out = Path.of("target/corpus-site");
        CorpusSite.Corpus corpus = CorpusSite.read();
        List<SiteEvent> events = corpus.events();
        int files = corpus.files();
        System.out.printf("Corpus: %d files, %d events rendered into %s%n", files, events.size(), out);
        assertThat(files).isGreaterThanOrEqualTo(100);
        assertThat(events).hasSizeGreaterThan(80);

        SiteRenderer renderer = CorpusSite.renderer(out);
        SiteBuilder builder = new SiteBuilder(renderer, out.resolve("site"));
        builder.buildAll(events, CorpusSite.NOW);
        Path site = builder.root();

        int allDay = 0;
        for (SiteEvent event : events) {
            Path page = site.resolve("agenda/" + event.slug() + "/index.html");
            Document html = SiteChecks.validHtml(SiteChecks.read(page), event.slug());
            assertThat(html.select("h1").text()).as(event.slug()).isEqualTo(normalize(event.title()));
            ZonedDateTime start = event.startsAt().atZone(ZoneId.of(event.timeZone()));
            String date = html.select(".event-date").text();
            if (SiteEvent.allDay(event.startsAt(), event.endsAt(), event.zone())) {
                // Midnight to midnight is how the source site records whole days: dates only, no "0 h 00".
                LocalDate last = SiteEvent.lastDay(event.startsAt(), event.endsAt(), event.zone());
                assertThat(date).as(event.slug())
                        .contains(WEEKDAY.format(start) + " " + dayOfMonth(start.getDayOfMonth()))
                        .contains(WEEKDAY.format(last) + " " + dayOfMonth(last.getDayOfMonth()) + " "
                                + MONTH_YEAR.format(last))
                        .doesNotContain(" h ");
                allDay++;
            } else {
                String day = DAY.format(start).replaceFirst("^1 ", "1er ");
                assertThat(date).as(event.slug()).contains(day)
                        .contains(start.getHour() + " h " + String.format("%02d", start.getMinute()));
            }
            if (event.endsAt() != null && event.endsAt().isAfter(event.startsAt())
                    && !SiteEvent.allDay(event.startsAt(), event.endsAt(), event.zone())) {
                ZonedDateTime end = event.endsAt().atZone(ZoneId.of(event.timeZone()));
                assertThat(html.select(".event-date").text()).as(event.slug())
                        .contains(end.getHour() + " h " + String.format("%02d", end.getMinute()));
            }
            // Info rows are the last definitions of the practical list, in the source's order; each shows its
            // content as Markdown renders it (the text of "<br>Possibilité..." has no "<br>").
            List<org.jsoup.nodes.Element> terms = html.select(".practical dl > dt");
            List<org.jsoup.nodes.Element> definitions = html.select(".practical dl > dd");
            assertThat(terms).as(event.slug()).hasSameSizeAs(definitions).hasSizeGreaterThan(event.infos().size());
            int first = terms.size() - event.infos().size();
            for (int i = 0; i < event.infos().size(); i++) {
                SiteEvent.Info info = event.infos().get(i);
                assertThat(terms.get(first + i).text()).as(event.slug()).isEqualTo(normalize(info.label()));
                org.jsoup.nodes.Element row = definitions.get(first + i);
                if (info.content() != null && !info.content().isBlank()) {
                    String shown = normalize(renderer.infoText(info.content()));
                    assertThat(shown).as(event.slug()).isNotBlank().doesNotContain("<br", "&lt;");
                    assertThat(row.text()).as(event.slug()).isEqualTo(shown);
                }
                if (info.link() != null && info.link().startsWith("http")) {
                    assertThat(row.select("a").attr("href")).as(event.slug()).isEqualTo(info.link().strip());
                }
                if (info.content() != null && info.content().strip().contains("\n\n")) {
                    assertThat(row.select("br")).as(event.slug() + ": one line per paragraph").isNotEmpty();
                }
            }
            if (!event.images().isEmpty() && event.images().get(0).altText() != null) {
                assertThat(html.select("figure img").attr("alt")).isEqualTo(event.images().get(0).altText());
            }
            SiteChecks.validIcs(SiteChecks.read(site.resolve("agenda/" + event.slug() + "/" + event.slug() + ".ics")));
        }
        assertThat(allDay).as("whole-day events of the corpus").isGreaterThan(10);
        try (Stream<Path> paths = Files.walk(site)) {
            for (Path listing : paths.filter(p -> p.toString().endsWith(".html")).toList()) {
                SiteChecks.validHtml(SiteChecks.read(listing), site.relativize(listing).toString());
            }
        }
        assertThat(SiteChecks.validAtom(SiteChecks.read(site.resolve("agenda/feed.xml"))).getEntries()).isNotEmpty();
        assertThat(SiteChecks.validIcs(SiteChecks.read(site.resolve("agenda/agenda.ics")))
                .getComponents("VEVENT")).isNotEmpty();
        assertThat(SiteChecks.indexEntries(site)).hasSize(events.size());
        assertThat(SiteChecks.sitemapUrls(site)).contains("https://agenda.example/agenda/")
                .containsAll(events.stream().map(e -> "https://agenda.example/agenda/" + e.slug() + "/").toList());
    }

    /** jsoup's text() collapses whitespace as a browser does. */
    private static String normalize(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
