package dev.agenda.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;

class SitePublishingIntegrationTest extends IntegrationTestBase {

    private static final Duration WITHIN = Duration.ofSeconds(2);

    @Test
    void publishUpdateCancelDuplicateDeleteKeepEveryFileInStep() throws Exception {
        String slug = "cycle-de-vie";
        EventPublished v1 = event(slug, 1).build();
        String id = v1.getEventId();
        Path page = file("agenda/" + slug + "/index.html");
        Path ics = file("agenda/" + slug + "/" + slug + ".ics");
        String typePage = "agenda/type/type-cycle-de-vie/index.html";
        String themePage = "agenda/theme/theme-cycle-de-vie/index.html";

        // Publish: the page, its .ics and every listing show it within 2 s.
        publish(v1);
        await().atMost(WITHIN).until(() -> Files.exists(page));
        awaitApplied(id, 1, false);
        Document html = SiteChecks.validHtml(SiteChecks.read(page), "event page");
        assertThat(html.select("h1").text()).isEqualTo("Titre cycle-de-vie");
        assertThat(html.select(".practical").text()).contains("Lieu cycle-de-vie", "Horaires", "14h-16h",
                "Inscription", "Métro");
        assertThat(html.select("figure img").attr("alt")).isEqualTo("Alt cycle-de-vie");
        assertThat(SiteChecks.validIcs(SiteChecks.read(ics)).getComponents("VEVENT")).hasSize(1);
        assertListingsContain("Titre cycle-de-vie", typePage, themePage);
        assertSiteFilesContain(id, slug, true);

        // Update: page and listings show the new title.
        publish(event(slug, 2).setTitle("Nouveau titre cycle").build());
        awaitApplied(id, 2, false);
        assertThat(SiteChecks.read(page)).contains("Nouveau titre cycle");
        assertListingsContain("Nouveau titre cycle", typePage, themePage);
        assertThat(SiteChecks.read(file("agenda/index.html"))).doesNotContain("Titre cycle-de-vie");
        assertThat(SiteChecks.read(file("agenda/feed.xml"))).contains("Nouveau titre cycle");

        // Cancel: banner, JSON-LD EventCancelled, .ics STATUS:CANCELLED with SEQUENCE = revision.
        EventPublished cancelled = event(slug, 3).setTitle("Nouveau titre cycle").setStatus(EventStatus.CANCELLED)
                .build();
        publish(cancelled);
        awaitApplied(id, 3, false);
        Document cancelledPage = SiteChecks.validHtml(SiteChecks.read(page), "cancelled page");
        assertThat(cancelledPage.select(".banner--cancelled").text()).contains("annulé");
        assertThat(cancelledPage.select("script[type=application/ld+json]").html())
                .contains("https://schema.org/EventCancelled");
        var vevent = SiteChecks.validIcs(SiteChecks.read(ics)).getComponents("VEVENT").get(0);
        assertThat(vevent.getProperty("STATUS").orElseThrow().getValue()).isEqualTo("CANCELLED");
        assertThat(vevent.getProperty("SEQUENCE").orElseThrow().getValue()).isEqualTo("3");
        assertThat(SiteChecks.read(file("agenda/agenda.ics"))).contains("UID:" + id + "@agenda")
                .contains("X-WR-CALNAME:");

        // The same message twice (and an older one): nothing on disk changes.
        Map<String, String> before = snapshot();
        long skipped = publisher.status().eventsSkipped();
        publish(cancelled);
        publish(event(slug, 2).setTitle("Périmé").build());
        await().atMost(WITHIN).until(() -> publisher.status().eventsSkipped() >= skipped + 2);
        assertThat(snapshot()).isEqualTo(before);

        // Delete (tombstone): page gone, and gone from every listing, feed and index.
        delete(id);
        awaitApplied(id, 3, true);
        assertThat(file("agenda/" + slug + "/index.html")).doesNotExist();
        assertThat(ics).doesNotExist();
        assertThat(file(typePage)).doesNotExist();
        assertThat(file(themePage)).doesNotExist();
        assertThat(SiteChecks.read(file("agenda/index.html"))).doesNotContain("Nouveau titre cycle");
        Path design = file("agenda/theme/design/index.html");
        assertThat(!Files.exists(design) || !SiteChecks.read(design).contains("Nouveau titre cycle")).isTrue();
        assertSiteFilesContain(id, slug, false);
    }

    @Test
    void aChangeRewritesOnlyTheFilesThatDependOnIt() throws Exception {
        // One after the other: on two partitions, sent together, they could be applied in either order, and the
        // status only tells the last change.
        publish(event("voisin-un", 1).build());
        awaitApplied(event("voisin-un", 1).build().getEventId(), 1, false);
        publish(event("voisin-deux", 1).build());
        awaitApplied(event("voisin-deux", 1).build().getEventId(), 1, false);
        Map<String, String> before = snapshot();
        publish(event("voisin-un", 2).setBody("Nouveau corps").build());
        awaitApplied(event("voisin-un", 1).build().getEventId(), 2, false);
        assertThat(SiteChecks.read(file("agenda/voisin-un/index.html"))).contains("Nouveau corps");
        Map<String, String> after = snapshot();
        Map<String, String> changed = new TreeMap<>(after);
        changed.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        // Its page, its .ics (new DTSTAMP) and the listings showing it (revision changed); nothing else.
        assertThat(changed.keySet()).contains("agenda/voisin-un/index.html", "agenda/voisin-un/voisin-un.ics")
                .doesNotContain("agenda/voisin-deux/index.html", "agenda/voisin-deux/voisin-deux.ics",
                        "assets/agenda.css", "agenda/type/type-voisin-deux/index.html",
                        "agenda/theme/theme-voisin-deux/index.html");
        assertThat(after.keySet()).isEqualTo(before.keySet());
    }

    private void assertListingsContain(String title, String... pages) {
        assertThat(SiteChecks.read(file("agenda/index.html"))).contains(title);
        assertThat(SiteChecks.read(file("agenda/theme/design/index.html"))).contains(title);
        for (String listing : pages) {
            String html = SiteChecks.read(file(listing));
            SiteChecks.validHtml(html, listing);
            assertThat(html).contains(title);
        }
    }

    private void assertSiteFilesContain(String id, String slug, boolean present) {
        String url = "/agenda/" + slug + "/";
        assertThat(SiteChecks.indexEntries(site()).stream().anyMatch(e -> e.get("id").asString().equals(id)))
                .isEqualTo(present);
        assertThat(SiteChecks.read(file("agenda/agenda.ics")).contains(id + "@agenda")).isEqualTo(present);
        String atom = SiteChecks.read(file("agenda/feed.xml"));
        SiteChecks.validAtom(atom);
        assertThat(atom.contains(url)).isEqualTo(present);
        assertThat(SiteChecks.sitemapUrls(site()).stream().anyMatch(u -> u.endsWith(url))).isEqualTo(present);
    }

    /** Path → modification time and SHA-256 of every file of the served site. */
    private Map<String, String> snapshot() throws IOException {
        Path root = site().toRealPath();
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                byte[] hash;
                try {
                    hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
                files.put(root.relativize(p).toString(),
                        Files.getLastModifiedTime(p).toMillis() + ":" + HexFormat.of().formatHex(hash));
            }
        }
        return files;
    }
}
