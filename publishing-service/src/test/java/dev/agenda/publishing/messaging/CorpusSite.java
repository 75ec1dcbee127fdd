package dev.agenda.publishing.messaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.EventStatus;
import dev.agenda.events.jekyll.JekyllFormat;
import dev.agenda.publishing.event.SiteEvent;
import dev.agenda.publishing.site.SiteProperties;
import dev.agenda.publishing.site.SiteRenderer;

/**
 * The real corpus as this service receives it: every file the event-service's importer accepts, through the Avro
 * mapping its relay uses and this service's own mapping.
 */
final class CorpusSite {

    static final Path CORPUS = Path.of(System.getProperty("agenda.corpus.dir", "../../shared/corpus/numerique-agenda"));

    /** Corpus events and how many Markdown files were read to get them. */
    record Corpus(List<SiteEvent> events, int files) {
    }

    private CorpusSite() {
    }

    static Corpus read() throws IOException {
        List<SiteEvent> events = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(CORPUS)) {
            for (Path file : paths.filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".markdown"))
                    .filter(p -> !p.getFileName().toString().equals("SOURCE.md")).sorted().toList()) {
                files++;
                String name = CORPUS.relativize(file).toString();
                JekyllFormat.Parsed parsed = JekyllFormat.parse(name.substring(name.lastIndexOf('/') + 1),
                        Files.readString(file));
                if (parsed instanceof JekyllFormat.Imported imported) {
                    Event event = imported.event();
                    if (event.content().startsAt() == null) {
                        continue; // cannot be published: the importer keeps it as a draft without a date
                    }
                    if (event.status() == EventStatus.DRAFT) {
                        // "published: false" in the source: render it anyway, it is real content to cover.
                        event = new Event(event.id(), event.slug(), EventStatus.PUBLISHED, event.revision(),
                                event.content(), event.createdAt(), event.updatedAt(), event.updatedAt());
                    }
                    events.add(EventMessages.toSiteEvent(
                            dev.agenda.events.messaging.EventMessages.toEventPublished(event)));
                }
            }
        }
        return new Corpus(events, files);
    }

    /** The renderer with the video hosts the corpus embeds. */
    static SiteRenderer renderer(Path out) {
        return renderer(out, null);
    }

    /** The same, with the subscription form on the agenda's first page when {@code subscribeUrl} is set. */
    static SiteRenderer renderer(Path out, String subscribeUrl) {
        return new SiteRenderer(new SiteProperties(out, "https://agenda.example", "Agenda", null, 20, 100,
                List.of("www.youtube.com", "peertube.designersethiques.org"), Duration.ofSeconds(60), subscribeUrl));
    }

    /** "Now" for the corpus: its events fall on both sides, so both the upcoming and the past listings fill. */
    static final Instant NOW = Instant.parse("2022-01-01T00:00:00Z");
}
