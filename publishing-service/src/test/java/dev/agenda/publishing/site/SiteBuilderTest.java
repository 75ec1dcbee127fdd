package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.agenda.publishing.SiteChecks;
import dev.agenda.publishing.event.SiteEvent;

/**
 * The incremental path (listings kept sorted, shards, feeds rewritten only when touched) must end with exactly the
 * files a full build of the same events writes.
 */
class SiteBuilderTest {

    private static final String[] TYPES = {"Atelier", "Webinaire", "Meetup", "atelier"};
    private static final String[] TAGS = {"Design", "Data", "Accessibilité", "design", "IA"};

    @Test
    void randomChangesEndWithTheSiteAFullBuildWrites(@TempDir Path dir) throws IOException {
        Random random = new Random(7);
        SiteRenderer renderer = new SiteRenderer(new SiteProperties(dir, "https://agenda.example", "Agenda", null, 3,
                4, List.of(), Duration.ofSeconds(60)));
        Instant now = Instant.parse("2023-06-01T12:00:00Z");
        Map<String, SiteEvent> live = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            SiteEvent event = event(random, "e" + i, 1);
            live.put(event.eventId(), event);
        }
        SiteBuilder incremental = new SiteBuilder(renderer, dir.resolve("incremental"));
        incremental.buildAll(live.values(), now);
        int created = 40;
        for (int step = 0; step < 150; step++) {
            // Time passes too: events move from upcoming to past between changes.
            now = now.plus(Duration.ofHours(random.nextInt(30)));
            List<String> ids = new ArrayList<>(live.keySet());
            int kind = random.nextInt(10);
            if (kind == 0 && !ids.isEmpty()) {
                SiteEvent gone = live.remove(ids.get(random.nextInt(ids.size())));
                incremental.apply(gone, null, live.values(), now);
            } else if (kind == 1 || ids.isEmpty()) {
                SiteEvent added = event(random, "e" + created++, 1);
                live.put(added.eventId(), added);
                incremental.apply(null, added, live.values(), now);
            } else {
                SiteEvent before = live.get(ids.get(random.nextInt(ids.size())));
                SiteEvent after = kind == 2 ? event(random, before.eventId(), before.revision() + 1)
                        : retitled(before, before.title() + " bis");
                live.put(after.eventId(), after);
                incremental.apply(before, after, live.values(), now);
            }
        }
        // Written in place, as a rebuild writes its fresh directory: the same files as the atomic path.
        SiteBuilder full = SiteBuilder.unpublished(renderer, dir.resolve("full"));
        full.buildAll(live.values(), now);

        Map<String, String> expected = contents(full.root());
        assertThat(contents(incremental.root())).isEqualTo(expected);
        assertThat(expected.keySet()).contains("agenda/events.json", "sitemap.xml", "agenda/sitemap-listes.xml",
                "agenda/agenda.ics", "agenda/feed.xml");
        assertThat(SiteChecks.indexEntries(full.root())).hasSize(live.size());
        assertThat(SiteChecks.sitemapUrls(full.root())).containsAll(
                live.values().stream().map(e -> "https://agenda.example/agenda/" + e.slug() + "/").toList());
    }

    @Test
    void aRetitleRewritesItsPagesAndTheIndexShardOfItsYearOnly(@TempDir Path dir) throws IOException {
        Random random = new Random(11);
        SiteRenderer renderer = new SiteRenderer(new SiteProperties(dir, "https://agenda.example", "Agenda", null, 3,
                4, List.of(), Duration.ofSeconds(60)));
        Instant now = Instant.parse("2023-06-01T12:00:00Z");
        Map<String, SiteEvent> live = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            SiteEvent event = event(random, "e" + i, 1);
            live.put(event.eventId(), event);
        }
        SiteBuilder builder = new SiteBuilder(renderer, dir.resolve("site"));
        builder.buildAll(live.values(), now);
        SiteEvent past = live.values().stream().filter(e -> !e.isUpcoming(Instant.parse("2023-06-01T12:00:00Z")))
                .findFirst().orElseThrow();
        Map<String, String> before = contents(builder.root());
        SiteEvent after = retitled(past, "Nouveau titre");
        live.put(after.eventId(), after);
        builder.apply(past, after, live.values(), now);
        Map<String, String> changed = new TreeMap<>(contents(builder.root()));
        changed.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));

        String year = SiteBuilder.shardKey(after);
        assertThat(changed.keySet()).contains("agenda/" + past.slug() + "/index.html",
                "agenda/" + past.slug() + "/" + past.slug() + ".ics", "agenda/events-" + year + ".json",
                "agenda/sitemap-" + year + ".xml");
        assertThat(changed.get("agenda/sitemap-" + year + ".xml")).contains("<loc>https://agenda.example/agenda/"
                + past.slug() + "/</loc><lastmod>" + after.updatedAt() + "</lastmod>");
        // Past events are in neither feed; other years' shards, the other sitemaps and the manifests do not move.
        assertThat(changed.keySet()).noneMatch(p -> p.startsWith("agenda/events-") && !p.endsWith(year + ".json"))
                .noneMatch(p -> p.contains("sitemap") && !p.equals("agenda/sitemap-" + year + ".xml"))
                .doesNotContain("agenda/events.json", "agenda/agenda.ics", "agenda/feed.xml");
        assertThat(changed.keySet().stream().filter(p -> p.startsWith("agenda/page/") || p.equals("agenda/index.html")))
                .hasSize(1);
    }

    @Test
    void aSlugTakenOverBeforeTheOldOwnersDeletionArrivesKeepsTheNewOwnersPage(@TempDir Path dir) throws IOException {
        SiteRenderer renderer = new SiteRenderer(new SiteProperties(dir, "https://agenda.example", "Agenda", null, 3,
                4, List.of(), Duration.ofSeconds(60)));
        Instant now = Instant.parse("2023-06-01T12:00:00Z");
        SiteEvent oldOwner = withSlug(event(new Random(3), "old", 1), "forum", "Ancien forum");
        SiteEvent newOwner = withSlug(event(new Random(4), "new", 1), "forum", "Nouveau forum");
        Map<String, SiteEvent> live = new LinkedHashMap<>();
        live.put(oldOwner.eventId(), oldOwner);
        SiteBuilder builder = new SiteBuilder(renderer, dir.resolve("site"));
        builder.buildAll(live.values(), now);

        // The new owner's publication overtakes the old owner's deletion (different keys, different partitions).
        live.put(newOwner.eventId(), newOwner);
        builder.apply(null, newOwner, live.values(), now);
        live.remove(oldOwner.eventId());
        builder.apply(oldOwner, null, live.values(), now);

        Path page = builder.root().resolve("agenda/forum/index.html");
        assertThat(page).exists();
        assertThat(Files.readString(page)).contains("Nouveau forum").doesNotContain("Ancien forum");
        assertThat(builder.root().resolve("agenda/forum/forum.ics")).exists();

        // Without a new owner, a deletion still removes the page.
        live.remove(newOwner.eventId());
        builder.apply(newOwner, null, live.values(), now);
        assertThat(page).doesNotExist();
        assertThat(builder.root().resolve("agenda/forum/forum.ics")).doesNotExist();
    }

    @Test
    void theAtomFeedHasTheSiteAsAuthorNoEmptyEntryAuthorAndARealUpdatedWhenEmpty(@TempDir Path dir)
            throws Exception {
        SiteRenderer renderer = new SiteRenderer(new SiteProperties(dir, "https://agenda.example", "Agenda", null, 3,
                4, List.of(), Duration.ofSeconds(60)));
        Instant now = Instant.parse("2023-06-01T12:00:00Z");
        SiteEvent upcoming = SiteRendererTest.event("a1", "a-venir", "À venir", now.plus(Duration.ofDays(3)),
                now.plus(Duration.ofDays(3).plusHours(2)));
        SiteEvent past = SiteRendererTest.event("p1", "passe", "Passé", now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(30).minusHours(2)));
        SiteBuilder builder = new SiteBuilder(renderer, dir.resolve("site"));
        builder.buildAll(List.of(upcoming, past), now);
        assertThat(SiteChecks.validIcs(Files.readString(builder.root().resolve("agenda/agenda.ics")))
                .getComponents("VEVENT")).hasSize(1);
        Path feedFile = builder.root().resolve("agenda/feed.xml");
        org.jsoup.nodes.Document feed = org.jsoup.Jsoup.parse(Files.readString(feedFile), "",
                org.jsoup.parser.Parser.xmlParser());
        assertThat(feed.select("feed > author > name").text()).isEqualTo("Agenda");
        assertThat(feed.getElementsByTag("dc:creator")).isEmpty();
        assertThat(feed.select("entry")).hasSize(1);
        assertThat(feed.select("entry author")).isEmpty();
        assertThat(feed.select("author > name").eachText()).doesNotContain("");
        assertThat(SiteChecks.validAtom(Files.readString(feedFile)).getAuthors()).extracting(p -> p.getName())
                .containsExactly("Agenda");
        // Published when it was first published here, or as its editors dated it (an imported page's date).
        assertThat(feed.select("entry > published").text()).isEqualTo(upcoming.firstPublishedAt().toString());
        Instant dated = Instant.parse("2019-03-04T09:00:00Z");
        SiteEvent datedUpcoming = new SiteEvent(upcoming.eventId(), upcoming.revision() + 1, false, upcoming.slug(),
                upcoming.title(), upcoming.lead(), upcoming.primaryCategory(), upcoming.categories(), upcoming.tags(),
                upcoming.images(), upcoming.startsAt(), upcoming.endsAt(), upcoming.timeZone(), upcoming.location(),
                upcoming.access(), upcoming.infos(), upcoming.body(), upcoming.firstPublishedAt(),
                upcoming.updatedAt(), dated);
        SiteBuilder datedBuilder = new SiteBuilder(renderer, dir.resolve("dated"));
        datedBuilder.buildAll(List.of(datedUpcoming, past), now);
        assertThat(org.jsoup.Jsoup.parse(Files.readString(datedBuilder.root().resolve("agenda/feed.xml")), "",
                org.jsoup.parser.Parser.xmlParser()).select("entry > published").text()).isEqualTo(dated.toString());

        // Only past events: the feed is empty, dated by the agenda's latest change, not 1970.
        builder.apply(upcoming, null, List.of(past), now);
        // The calendar feed too; still a valid calendar, which needs one component (RFC 5545 §3.6): a UTC zone.
        String emptyCalendar = Files.readString(builder.root().resolve("agenda/agenda.ics"));
        assertThat(emptyCalendar).doesNotContain("BEGIN:VEVENT").contains("BEGIN:VTIMEZONE");
        assertThat(SiteChecks.validIcs(emptyCalendar).getComponents("VTIMEZONE")).hasSize(1);
        String empty = Files.readString(feedFile);
        feed = org.jsoup.Jsoup.parse(empty, "", org.jsoup.parser.Parser.xmlParser());
        assertThat(feed.select("entry")).isEmpty();
        // The latest change its events tell: the past event's end, when it left the upcoming events.
        assertThat(feed.select("feed > updated").text()).isEqualTo(past.upcomingUntil().toString());
        SiteChecks.validAtom(empty);
        // Nothing changed, nothing rewritten: a fresh builder on the same events writes the same bytes.
        SiteBuilder again = new SiteBuilder(renderer, dir.resolve("again"));
        again.buildAll(List.of(past), now.plus(Duration.ofHours(5)));
        assertThat(Files.readString(again.root().resolve("agenda/feed.xml"))).isEqualTo(empty);

        // No event at all: the build's time.
        builder.apply(past, null, List.of(), now);
        feed = org.jsoup.Jsoup.parse(Files.readString(feedFile), "", org.jsoup.parser.Parser.xmlParser());
        assertThat(feed.select("feed > updated").text()).isEqualTo("2023-06-01T12:00:00Z");
    }

    @Test
    void aTypeSpelledSeveralWaysIsHeadedByItsMostUsedSpelling(@TempDir Path dir) throws Exception {
        SiteRenderer renderer = new SiteRenderer(new SiteProperties(dir, "https://agenda.example", "Agenda", null, 3,
                4, List.of(), Duration.ofSeconds(60)));
        Instant now = Instant.parse("2023-06-01T12:00:00Z");
        List<SiteEvent> events = new ArrayList<>();
        String[] spellings = {"Evénement", "Évènement", "Évènement", "Événement", "Évènement"};
        for (int i = 0; i < spellings.length; i++) {
            SiteEvent base = SiteRendererTest.event("t" + i, "type-" + i, "Type " + i,
                    now.plus(Duration.ofDays(i + 1)), now.plus(Duration.ofDays(i + 1).plusHours(1)));
            events.add(new SiteEvent(base.eventId(), 1, false, base.slug(), base.title(), base.lead(), spellings[i],
                    List.of(), base.tags(), base.images(), base.startsAt(), base.endsAt(), base.timeZone(),
                    base.location(), base.access(), base.infos(), base.body(), base.firstPublishedAt(),
                    base.updatedAt(), base.publicationDate()));
        }
        SiteBuilder builder = new SiteBuilder(renderer, dir.resolve("site"));
        builder.buildAll(events, now);
        Path page = builder.root().resolve("agenda/type/evenement/index.html");
        assertThat(SiteChecks.validHtml(Files.readString(page), "type").select("h1").text())
                .isEqualTo("Événements de type « Évènement »");

        // Incrementally: two of the three "Évènement" go, a tie of three spellings is left: the smallest wins.
        List<SiteEvent> live = new ArrayList<>(events);
        live.remove(events.get(1));
        builder.apply(events.get(1), null, live, now);
        live.remove(events.get(2));
        builder.apply(events.get(2), null, live, now);
        assertThat(SiteChecks.validHtml(Files.readString(page), "type").select("h1").text())
                .isEqualTo("Événements de type « Evénement »");
        // "Événement" twice now: the most used again, whatever its order.
        SiteEvent again = new SiteEvent("t9", 1, false, "type-9", "Type 9", "", "Événement", List.of(), List.of(),
                List.of(), now.plus(Duration.ofDays(9)), null, "Europe/Paris", null, List.of(), List.of(), "",
                now, now, null);
        live.add(again);
        builder.apply(null, again, live, now);
        assertThat(SiteChecks.validHtml(Files.readString(page), "type").select("h1").text())
                .isEqualTo("Événements de type « Événement »");
    }

    private static SiteEvent withSlug(SiteEvent e, String slug, String title) {
        Instant start = Instant.parse("2023-09-01T09:00:00Z");
        return new SiteEvent(e.eventId(), e.revision(), false, slug, title, e.lead(), e.primaryCategory(),
                e.categories(), e.tags(), e.images(), start, start.plusSeconds(3600), e.timeZone(), e.location(),
                e.access(), e.infos(), e.body(), e.firstPublishedAt(), e.updatedAt(), e.publicationDate());
    }

    private static SiteEvent event(Random random, String id, long revision) {
        Instant start = random.nextInt(15) == 0 ? null
                : Instant.parse("2022-11-01T09:00:00Z").plus(Duration.ofHours(random.nextInt(24 * 500)));
        Instant end = start == null || random.nextBoolean() ? null : start.plus(Duration.ofHours(random.nextInt(50)));
        List<String> tags = new ArrayList<>();
        for (int t = random.nextInt(3); t > 0; t--) {
            tags.add(TAGS[random.nextInt(TAGS.length)]);
        }
        return new SiteEvent(id, revision, random.nextInt(8) == 0, "slug-" + id + "-" + random.nextInt(3),
                "Titre " + random.nextInt(20), "Un *chapeau* " + id, random.nextInt(4) == 0 ? null
                        : TYPES[random.nextInt(TYPES.length)], List.of(TYPES[random.nextInt(TYPES.length)]), tags,
                List.of(), start, end, random.nextBoolean() ? "Europe/Paris" : "America/Cayenne",
                new SiteEvent.Location("Lieu", null, random.nextBoolean(), false), List.of(), List.of(),
                "Corps de " + id, Instant.parse("2022-01-01T00:00:00Z"),
                Instant.parse("2022-01-01T00:00:00Z").plusSeconds(revision), null);
    }

    private static SiteEvent retitled(SiteEvent e, String title) {
        return new SiteEvent(e.eventId(), e.revision() + 1, e.cancelled(), e.slug(), title, e.lead(),
                e.primaryCategory(), e.categories(), e.tags(), e.images(), e.startsAt(), e.endsAt(), e.timeZone(),
                e.location(), e.access(), e.infos(), e.body(), e.firstPublishedAt(), e.updatedAt().plusSeconds(60), null);
    }

    /** Relative path → content of every file under a site directory. */
    private static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }

    /** The site's 404 page, at its root where nginx's error_page and the preview server find it. */
    @Test
    void aFullBuildWritesTheSites404Page(@TempDir Path dir) throws IOException {
        SiteRenderer renderer = new SiteRenderer(new SiteProperties(dir, "https://agenda.example", "Agenda", null, 3,
                4, List.of(), Duration.ofSeconds(60)));
        SiteBuilder builder = new SiteBuilder(renderer, dir.resolve("site"));
        builder.buildAll(List.of(), Instant.parse("2023-06-01T12:00:00Z"));
        String page = java.nio.file.Files.readString(builder.root().resolve("404.html"));
        assertThat(page).contains("<h1>Page introuvable</h1>", "<title>Page introuvable – Agenda</title>",
                "href=\"/agenda/\"", "/assets/agenda.css", "<meta name=\"robots\" content=\"noindex\">")
                .doesNotContain("rel=\"canonical\"");
    }

    @Test
    void aSitesOwnAssetsAreCopiedNextToTheBuiltInOnesAndOnlyUnderAssets(@TempDir Path dir) throws IOException {
        Path layout = dir.resolve("layout");
        java.nio.file.Files.createDirectories(layout.resolve("assets/fonts"));
        java.nio.file.Files.write(layout.resolve("assets/partage.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        java.nio.file.Files.writeString(layout.resolve("assets/agenda.css"), "body { color: #111; }");
        java.nio.file.Files.writeString(layout.resolve("assets/.htaccess"), "Deny from all");
        java.nio.file.Files.writeString(layout.resolve("assets/fonts/marianne.woff2"), "font");
        SiteRenderer renderer = new SiteRenderer(new SiteProperties(dir, "https://agenda.example", "Agenda", layout,
                3, 4, List.of(), Duration.ofSeconds(60)));
        SiteBuilder builder = new SiteBuilder(renderer, dir.resolve("site"));
        builder.buildAll(List.of(), Instant.parse("2023-06-01T12:00:00Z"));

        Path assets = builder.root().resolve("assets");
        assertThat(java.nio.file.Files.readAllBytes(assets.resolve("partage.png")))
                .isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        assertThat(java.nio.file.Files.readString(assets.resolve("agenda.css"))).isEqualTo("body { color: #111; }");
        assertThat(assets.resolve("filter.js")).exists();
        // Hidden files and sub-directories are not part of a layout's assets.
        assertThat(assets.resolve(".htaccess")).doesNotExist();
        assertThat(assets.resolve("fonts")).doesNotExist();
    }
}
