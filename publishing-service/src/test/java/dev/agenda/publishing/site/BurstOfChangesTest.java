package dev.agenda.publishing.site;

import static dev.agenda.publishing.site.SitePublisherTest.differences;
import static dev.agenda.publishing.site.SitePublisherTest.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.agenda.publishing.event.EventChange;
import dev.agenda.publishing.event.SiteEvent;
import dev.agenda.publishing.site.SitePublisherTest.ListLog;
import dev.agenda.publishing.site.SitePublisherTest.MemoryStore;

/**
 * Changes in a burst (a catch-up from the log, an import) write their own pages at once and the listings, feeds,
 * index and sitemap once the burst pauses: the site then is the one a full build writes, with far fewer files written
 * than one change at a time.
 */
class BurstOfChangesTest {

    private static final Instant NOW = Instant.parse("2023-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** Every change after the first is in the burst, and a flush flushes as soon as it is called. */
    private static final Duration ALWAYS = Duration.ofDays(1);

    @Test
    void aBurstEndsWithTheSiteAFullBuildWritesAndWritesFarFewerFilesThanOneChangeAtATime(@TempDir Path dir)
            throws IOException {
        List<EventChange> changes = randomChanges(new Random(11), 80);

        SitePublisher oneAtATime = new SitePublisher(new MemoryStore(), new ListLog(), properties(dir.resolve("one")),
                CLOCK, Duration.ZERO, Duration.ZERO);
        long before = oneAtATime.status().pagesWritten();
        changes.forEach(oneAtATime::apply);
        long writtenOneAtATime = oneAtATime.status().pagesWritten() - before;

        SitePublisher burst = new SitePublisher(new MemoryStore(), new ListLog(), properties(dir.resolve("burst")),
                CLOCK, ALWAYS, Duration.ZERO);
        before = burst.status().pagesWritten();
        changes.forEach(burst::apply);
        SiteEvent last = ((EventChange.Published) changes.get(changes.size() - 1)).event();
        // The last change's own page is there at once; the status reports it once its listings are written too.
        assertThat(burst.currentLink().resolve("agenda/" + last.slug() + "/index.html")).exists();
        assertThat(burst.status().lastChange().eventId()).isEqualTo(changes.get(0).eventId());

        burst.flushDeferred();

        assertThat(burst.status().lastChange().eventId()).isEqualTo(last.eventId());
        assertThat(burst.status().lastChange().revision()).isEqualTo(last.revision());
        assertThat(differences(dir, burst, live(changes), lastDeletion(changes))).isEmpty();
        assertThat(differences(dir, oneAtATime, live(changes), lastDeletion(changes))).isEmpty();
        long writtenInBurst = burst.status().pagesWritten() - before;
        assertThat(writtenInBurst).isLessThan(writtenOneAtATime / 2);
    }

    @Test
    void aSlugTakenOverBeforeTheOldOwnersDeletionArrivesKeepsItsPageInABurst(@TempDir Path dir) throws IOException {
        SitePublisher burst = new SitePublisher(new MemoryStore(), new ListLog(), properties(dir.resolve("out")),
                CLOCK, ALWAYS, Duration.ZERO);
        SiteEvent first = event("e1", 1, "forum", NOW.plus(Duration.ofDays(3)));
        SiteEvent other = event("e2", 1, "autre", NOW.plus(Duration.ofDays(4)));
        SiteEvent taker = event("e3", 1, "forum", NOW.plus(Duration.ofDays(5)));
        burst.apply(new EventChange.Published(first));
        burst.apply(new EventChange.Published(other));
        // Keyed by event id, the two records may come in this order: the new owner first, then the old one's end.
        burst.apply(new EventChange.Published(taker));
        burst.apply(new EventChange.Deleted("e1", NOW));
        burst.flushDeferred();

        assertThat(differences(dir, burst, List.of(other, taker), NOW)).isEmpty();
    }

    @Test
    void aChangeTheReadModelRefusesInABurstIsUndoneAndTheListingsFollowTheReadModel(@TempDir Path dir)
            throws IOException {
        MemoryStore store = new MemoryStore();
        SitePublisher burst = new SitePublisher(store, new ListLog(), properties(dir.resolve("out")), CLOCK, ALWAYS,
                Duration.ZERO);
        SiteEvent forum = event("e1", 1, "forum", NOW.plus(Duration.ofDays(3)));
        SiteEvent other = event("e2", 1, "autre", NOW.plus(Duration.ofDays(4)));
        burst.apply(new EventChange.Published(forum));
        burst.apply(new EventChange.Published(other));

        store.failing = true;
        SiteEvent renamed = event("e1", 2, "forum-2023", NOW.plus(Duration.ofDays(10)));
        assertThatThrownBy(() -> burst.apply(new EventChange.Published(renamed))).hasMessageContaining("unreachable");
        store.failing = false;
        burst.flushDeferred();

        assertThat(differences(dir, burst, List.of(forum, other))).isEmpty();
    }

    /** Creations, moves, retitles and deletions in random order, as a catch-up from the log replays them. */
    private static List<EventChange> randomChanges(Random random, int count) {
        Map<String, SiteEvent> live = new LinkedHashMap<>();
        List<EventChange> changes = new ArrayList<>();
        int created = 0;
        for (int i = 0; i < count; i++) {
            List<String> ids = new ArrayList<>(live.keySet());
            int kind = random.nextInt(10);
            if (kind == 0 && ids.size() > 2) {
                String gone = ids.get(random.nextInt(ids.size()));
                live.remove(gone);
                changes.add(new EventChange.Deleted(gone, Instant.parse("2023-01-01T00:00:00Z").plusSeconds(i)));
                continue;
            }
            SiteEvent next;
            if (kind < 6 || ids.isEmpty()) {
                String id = "e" + created++;
                next = event(id, 1, "evenement-" + id, NOW.plus(Duration.ofHours(random.nextInt(24 * 60) - 24 * 30)));
            } else {
                SiteEvent before = live.get(ids.get(random.nextInt(ids.size())));
                next = event(before.eventId(), before.revision() + 1, before.slug(),
                        NOW.plus(Duration.ofHours(random.nextInt(24 * 60) - 24 * 30)));
            }
            live.put(next.eventId(), next);
            changes.add(new EventChange.Published(next));
        }
        if (!(changes.get(changes.size() - 1) instanceof EventChange.Published)) {
            SiteEvent closing = event("e" + created, 1, "evenement-e" + created, NOW.plus(Duration.ofDays(2)));
            changes.add(new EventChange.Published(closing));
        }
        return changes;
    }

    private static Instant lastDeletion(List<EventChange> changes) {
        return changes.stream().filter(EventChange.Deleted.class::isInstance)
                .map(c -> ((EventChange.Deleted) c).at()).max(Instant::compareTo).orElse(null);
    }

    /** The events live after these changes. */
    private static List<SiteEvent> live(List<EventChange> changes) {
        Map<String, SiteEvent> live = new LinkedHashMap<>();
        for (EventChange change : changes) {
            if (change instanceof EventChange.Published published) {
                live.put(published.event().eventId(), published.event());
            } else {
                live.remove(change.eventId());
            }
        }
        return new ArrayList<>(live.values());
    }

    private static SiteEvent event(String id, long revision, String slug, Instant start) {
        String type = List.of("Atelier", "Webinaire", "Meetup").get(Math.floorMod(slug.hashCode(), 3));
        return new SiteEvent(id, revision, false, slug, "Titre " + slug + " r" + revision, "Chapeau", type,
                List.of(), List.of("Data"), List.of(), start, start.plusSeconds(3600), "Europe/Paris", null,
                List.of(), List.of(), "Corps", Instant.parse("2023-01-01T00:00:00Z"),
                Instant.parse("2023-01-01T00:00:00Z").plusSeconds(revision), null);
    }
}
