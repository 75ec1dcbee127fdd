package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.agenda.publishing.event.AppliedEvent;
import dev.agenda.publishing.event.EventChange;
import dev.agenda.publishing.event.EventStore;
import dev.agenda.publishing.event.SiteEvent;

/** The publisher in-process, with a read model in memory and an events log in a list. */
class SitePublisherTest {

    private static final Instant NOW = Instant.parse("2023-06-01T12:00:00Z");

    /** A read model in memory whose writes can be made to fail (Mongo unreachable). */
    static final class MemoryStore implements EventStore {
        final Map<String, AppliedEvent> saved = new LinkedHashMap<>();
        volatile boolean failing;

        @Override
        public List<AppliedEvent> findAll() {
            return new ArrayList<>(saved.values());
        }

        @Override
        public void save(AppliedEvent applied) {
            if (failing) {
                throw new IllegalStateException("read model unreachable");
            }
            saved.put(applied.eventId(), applied);
        }

        @Override
        public void reconcile(Map<String, AppliedEvent> stored, Map<String, AppliedEvent> fresh) {
            saved.clear();
            saved.putAll(fresh);
        }
    }

    /** The events log as a list: a rebuild replays it. */
    static final class ListLog implements EventLog {
        final List<EventChange> records = new ArrayList<>();

        @Override
        public Replay replay() {
            return new Replay() {
                int position;

                @Override
                public void readToEnd(Consumer<EventChange> sink) {
                    while (position < records.size()) {
                        sink.accept(records.get(position++));
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    }

    static SiteProperties properties(Path output) {
        return new SiteProperties(output, "https://agenda.example", "Agenda", null, 3, 4, List.of(),
                Duration.ofSeconds(60));
    }

    private static SiteEvent event(String id, long revision, String slug, String type, Instant start) {
        return new SiteEvent(id, revision, false, slug, "Titre " + slug, "Chapeau", type, List.of(), List.of("Data"),
                List.of(), start, start.plusSeconds(3600), "Europe/Paris", null, List.of(), List.of(), "Corps",
                Instant.parse("2023-01-01T00:00:00Z"), Instant.parse("2023-01-01T00:00:00Z").plusSeconds(revision), null);
    }

    @Test
    void aChangeTheReadModelCouldNotSaveLeavesTheSiteAsTheReadModelHasIt(@TempDir Path dir) throws IOException {
        MemoryStore store = new MemoryStore();
        // Every change applied at once (no burst): the files are compared after each one.
        SitePublisher publisher = new SitePublisher(store, new ListLog(), properties(dir.resolve("out")),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO, Duration.ZERO);
        SiteEvent forum = event("e1", 1, "forum", "Atelier", NOW.plus(Duration.ofDays(3)));
        SiteEvent other = event("e2", 1, "autre", "Atelier", NOW.plus(Duration.ofDays(4)));
        publisher.apply(new EventChange.Published(forum));
        publisher.apply(new EventChange.Published(other));

        // Renamed, retyped and moved; the read model refuses it (retries, then the dead-letter topic).
        SiteEvent renamed = event("e1", 2, "forum-2023", "Webinaire", NOW.plus(Duration.ofDays(10)));
        store.failing = true;
        assertThatThrownBy(() -> publisher.apply(new EventChange.Published(renamed)))
                .hasMessageContaining("unreachable");
        assertThat(differences(dir, publisher, List.of(forum, other))).isEmpty();

        // The same record again once the read model is back: applied, as if the first attempt never happened.
        store.failing = false;
        assertThat(publisher.apply(new EventChange.Published(renamed))).isTrue();
        assertThat(differences(dir, publisher, List.of(renamed, other))).isEmpty();

        // A deletion and a new event refused the same way leave the site as it was too (the feed's date included).
        store.failing = true;
        SiteEvent added = event("e3", 1, "nouveau", "Meetup", NOW.plus(Duration.ofDays(1)));
        Instant deletion = NOW.minusSeconds(60);
        assertThatThrownBy(() -> publisher.apply(new EventChange.Deleted("e2", deletion)))
                .hasMessageContaining("unreachable");
        assertThatThrownBy(() -> publisher.apply(new EventChange.Published(added)))
                .hasMessageContaining("unreachable");
        assertThat(differences(dir, publisher, List.of(renamed, other))).isEmpty();
        store.failing = false;
        publisher.apply(new EventChange.Deleted("e2", deletion));
        publisher.apply(new EventChange.Published(added));
        assertThat(differences(dir, publisher, List.of(renamed, added), deletion)).isEmpty();
    }

    /** Two events published, then the most recently changed one deleted: the agenda's latest change. */
    private record DeletionLast(MemoryStore store, ListLog log, SitePublisher publisher, SiteEvent forum,
            Instant deletion, Path feed) {

        static DeletionLast in(Path out, Clock clock) {
            MemoryStore store = new MemoryStore();
            ListLog log = new ListLog();
            SitePublisher publisher = new SitePublisher(store, log, properties(out), clock, Duration.ZERO,
                    Duration.ZERO);
            SiteEvent forum = event("e1", 1, "forum", "Atelier", NOW.plus(Duration.ofDays(3)));
            SiteEvent latest = event("e2", 5, "dernier", "Atelier", NOW.plus(Duration.ofDays(4)));
            Instant deletion = Instant.parse("2023-05-20T08:30:00Z");
            for (EventChange change : List.of(new EventChange.Published(forum), new EventChange.Published(latest),
                    new EventChange.Deleted("e2", deletion))) {
                log.records.add(change);
                publisher.apply(change);
            }
            return new DeletionLast(store, log, publisher, forum, deletion, out.resolve("current/agenda/feed.xml"));
        }
    }

    private static void rebuild(SitePublisher publisher) {
        assertThat(publisher.startRebuild()).isTrue();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> publisher.status().lastRebuild() != null);
        assertThat(publisher.status().lastRebuild().outcome()).isEqualTo("SUCCEEDED");
    }

    @Test
    void theFeedIsDatedByTheAgendasLatestChangeWhichADeletionIsAndKeepsItsDateOnRestartAndRebuild(@TempDir Path dir)
            throws IOException {
        Path out = dir.resolve("out");
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        DeletionLast agenda = DeletionLast.in(out, clock);
        Path feed = agenda.feed();
        // The most recently changed event is gone: the feed changed when it went, not when the one left did.
        assertThat(feedUpdated(feed)).isEqualTo(agenda.deletion().toString());
        String written = Files.readString(feed);

        SitePublisher restarted = new SitePublisher(agenda.store(), agenda.log(), properties(out), clock,
                Duration.ZERO, Duration.ZERO);
        assertThat(Files.readString(feed)).isEqualTo(written);

        rebuild(restarted);
        assertThat(Files.readString(feed)).isEqualTo(written);

        // An event that ends leaves the upcoming events: the feed changed then too.
        Instant later = agenda.forum().upcomingUntil().plusSeconds(1);
        new SitePublisher(agenda.store(), agenda.log(), properties(out), Clock.fixed(later, ZoneOffset.UTC),
                Duration.ZERO, Duration.ZERO);
        assertThat(feedUpdated(feed)).isEqualTo(agenda.forum().upcomingUntil().toString());
    }

    @Test
    void aDeletionCompactedOutOfTheLogKeepsTheFeedsDateThroughARebuildAndARestart(@TempDir Path dir)
            throws IOException {
        Path out = dir.resolve("out");
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        DeletionLast agenda = DeletionLast.in(out, clock);
        String deletion = agenda.deletion().toString();
        assertThat(feedUpdated(agenda.feed())).isEqualTo(deletion);
        // Compaction: e2's records went, then its tombstone once delete.retention.ms had passed.
        agenda.log().records.removeIf(change -> change.eventId().equals("e2"));

        rebuild(agenda.publisher());
        assertThat(feedUpdated(agenda.feed())).isEqualTo(deletion);

        new SitePublisher(agenda.store(), agenda.log(), properties(out), clock, Duration.ZERO, Duration.ZERO);
        assertThat(feedUpdated(agenda.feed())).isEqualTo(deletion);
        assertThat(agenda.store().saved.get("e2").deleted()).isTrue();
    }

    private static String feedUpdated(Path feed) throws IOException {
        return org.jsoup.Jsoup.parse(Files.readString(feed), "", org.jsoup.parser.Parser.xmlParser())
                .select("feed > updated").text();
    }

    @Test
    void startingAgainDeletesTheBuildsAPreviousRunLeftBehind(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        MemoryStore store = new MemoryStore();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        SitePublisher first = new SitePublisher(store, new ListLog(), properties(out), clock);
        first.apply(new EventChange.Published(event("e1", 1, "forum", "Atelier", NOW.plus(Duration.ofDays(3)))));
        Path served = first.currentLink().toRealPath();
        // A rebuild stopped half-way by a restart: its directory is not the one served.
        Path abandoned = out.resolve("builds/20230601-115900-0badf00d");
        Files.createDirectories(abandoned.resolve("agenda/forum"));
        Files.writeString(abandoned.resolve("agenda/forum/index.html"), "<!DOCTYPE html><title>half");

        SitePublisher again = new SitePublisher(store, new ListLog(), properties(out), clock);

        assertThat(abandoned).doesNotExist();
        assertThat(again.currentLink().toRealPath()).isEqualTo(served);
        assertThat(served.resolve("agenda/forum/index.html")).exists();
        try (Stream<Path> builds = Files.list(out.resolve("builds"))) {
            assertThat(builds).containsExactly(served);
        }
    }

    /** What differs between the served site and a full build of {@code events}. */
    static List<String> differences(Path dir, SitePublisher publisher, List<SiteEvent> events)
            throws IOException {
        return differences(dir, publisher, events, null);
    }

    /** What differs between the served site and a full build of {@code events} after a deletion at that time. */
    static List<String> differences(Path dir, SitePublisher publisher, List<SiteEvent> events, Instant deletedUpTo)
            throws IOException {
        Path expected = dir.resolve("expected-" + System.nanoTime());
        SiteBuilder full = SiteBuilder.unpublished(new SiteRenderer(properties(expected)), expected);
        full.deletedUpTo(deletedUpTo);
        full.buildAll(events, NOW);
        return IncrementalEquivalenceTest.differences(contents(publisher.currentLink().toRealPath()),
                contents(expected));
    }

    static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }
}
