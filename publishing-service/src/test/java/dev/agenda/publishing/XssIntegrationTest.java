package dev.agenda.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.agenda.infra.browser.HeadlessChromium;
import dev.agenda.schemas.Access;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Image;
import dev.agenda.schemas.InfoField;
import dev.agenda.schemas.Location;

/**
 * Hostile text in every field of an event, then the pages opened in a real headless Chromium: if any payload ran, the
 * document title is PWNED or an {@code <xss-marker>} element exists in the DOM.
 */
class XssIntegrationTest extends IntegrationTestBase {

    private static final String JS = "document.title='PWNED';document.documentElement.appendChild("
            + "document.createElement('xss-marker'))";
    static final List<String> PAYLOADS = List.of(
            "<script>" + JS + "</script>",
            "<img src=x onerror=\"" + JS + "\">",
            "<svg onload=\"" + JS + "\"></svg>",
            "\"><script>" + JS + "</script>",
            "'><img src=x onerror=" + JS.replace(" ", "") + ">",
            "</script><script>" + JS + "</script>",
            "<!--<script>" + JS + "</script>-->",
            "<iframe src=\"javascript:" + JS + "\"></iframe>",
            "<iframe srcdoc=\"<script>" + JS.replace("'", "&#39;") + "</script>\"></iframe>",
            "<a href=\"javascript:" + JS + "\" id=\"clic\">clic</a>",
            "<details open ontoggle=\"" + JS + "\"><summary>x</summary></details>",
            "<style>@import 'javascript:" + JS + "';</style>",
            "<math><mtext><table><mglyph><style><img src=x onerror=\"" + JS + "\">",
            "<object data=\"javascript:" + JS + "\"></object>",
            "<meta http-equiv=\"refresh\" content=\"0;url=javascript:" + JS + "\">",
            "<body onload=\"" + JS + "\">",
            "[clic](javascript:" + JS.replace("(", "%28").replace(")", "%29") + ")",
            "<div onmouseover=\"" + JS + "\" style=\"position:fixed;inset:0\">survol</div>",
            "Paragraphe\n{: onfocus=\"" + JS + "\" autofocus tabindex=\"0\" }",
            "<input autofocus onfocus=\"" + JS + "\">",
            "<video><source onerror=\"" + JS + "\"></video>",
            "{{ 7*7 }} {% raw %}");

    @LocalServerPort
    int port;

    @Test
    void noPayloadRunsInARealBrowser(@TempDir Path profile) throws Exception {
        // Control: the detector sees a script that does run.
        Document control = dumpDom("data:text/html,<title>x</title><script>" + JS + "</script>", profile);
        assertThat(control.title()).isEqualTo("PWNED");

        String slug = "xss-partout";
        EventPublished hostile = event(slug, 1)
                .setTitle(payload(0) + " " + payload(5))
                .setLead(payload(1) + " " + payload(16))
                .setPrimaryCategory(payload(3))
                .setCategories(List.of(payload(2), "Type xss"))
                .setTags(List.of(payload(4), payload(6), "Thème xss"))
                .setImages(List.of(Image.newBuilder().setUrl("javascript:" + JS).setAltText(payload(3))
                        .setCaption(payload(1)).build(),
                        Image.newBuilder().setUrl("/x\" onerror=\"" + JS).setAltText(payload(4)).setCaption(payload(2))
                                .build()))
                .setLocation(Location.newBuilder().setName(payload(5)).setAddress(payload(0)).setOnline(false)
                        .setShowMap(false).build())
                .setAccess(List.of(Access.newBuilder().setType(payload(10)).setLines(List.of(payload(1), payload(2)))
                        .build()))
                .setInfos(List.of(
                        InfoField.newBuilder().setLabel(payload(0)).setContent(payload(1))
                                .setLink("javascript:" + JS).build(),
                        InfoField.newBuilder().setLabel(payload(3)).setContent(payload(9))
                                .setLink("\" onclick=\"" + JS).build(),
                        InfoField.newBuilder().setLabel("Lien").setContent(payload(12))
                                .setLink("data:text/html,<script>" + JS + "</script>").build()))
                .setBody(String.join("\n\n", PAYLOADS))
                .build();
        publish(hostile);
        awaitApplied(hostile.getEventId(), 1, false);

        // Event page, agenda index (runs the filter script over events.json) and a taxonomy listing.
        List<String> pages = List.of("/agenda/" + slug + "/", "/agenda/", "/agenda/theme/theme-xss/");
        for (String page : pages) {
            Document dom = dumpDom("http://127.0.0.1:" + port + page, profile);
            assertThat(dom.title()).as("title of %s", page).isNotEqualTo("PWNED").isNotEmpty();
            assertThat(dom.select("xss-marker")).as("marker in %s", page).isEmpty();
            assertThat(dom.select("h1")).as("page %s rendered", page).isNotEmpty();
        }

        // Beyond the browser: no script or handler survives in the files themselves.
        Document html = Jsoup.parse(SiteChecks.read(file("agenda/" + slug + "/index.html")));
        assertThat(html.select("script").stream().map(s -> s.attr("type")).toList())
                .containsExactly("application/ld+json");
        assertThat(html.select("*").stream().flatMap(e -> e.attributes().asList().stream())
                .filter(a -> a.getKey().startsWith("on") || a.getValue().toLowerCase().contains("javascript:")
                        && (a.getKey().equals("href") || a.getKey().equals("src")))
                .toList()).isEmpty();
        assertThat(html.select(".event-body style, .event-body object, .event-body meta, .event-body input")).isEmpty();
        assertThat(html.select("iframe")).isEmpty();
        assertThat(html.select("h1").text()).contains("<script>");

        // Every file of the site stays valid with hostile content in it.
        assertWholeSiteValid();
    }

    @Test
    void theFilterNamesATypeAsItsListingPageDoes(@TempDir Path profile) throws Exception {
        // Three spellings of one key: the smallest (the old heading), the most used, and the one seen last in the
        // index (the old drop-down). Both must show the most used.
        Instant start = Instant.now().plus(java.time.Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        List<EventPublished> events = List.of(
                event("reunion-orthographe-s", 1).setCategories(List.of("Reunion publique")).setStartsAt(start)
                        .setEndsAt(start.plusSeconds(3600)).build(),
                event("reunion-orthographe-m1", 1).setCategories(List.of("Réunion publique")).setStartsAt(start)
                        .setEndsAt(start.plusSeconds(3600)).build(),
                event("reunion-orthographe-m2", 1).setCategories(List.of("Réunion publique")).setStartsAt(start)
                        .setEndsAt(start.plusSeconds(3600)).build(),
                event("reunion-orthographe-l", 1).setCategories(List.of("Réunion Publique"))
                        .setStartsAt(start.plusSeconds(86400)).setEndsAt(start.plusSeconds(90000)).build());
        events.forEach(IntegrationTestBase::publish);
        // Keys spread over partitions: whichever is applied last, the listing ends with the four of them.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
            Document listing = Jsoup.parse(SiteChecks.read(file("agenda/type/reunion-publique/index.html")));
            assertThat(listing.select(".event-card")).hasSize(4);
            assertThat(listing.select("h1").text()).isEqualTo("Événements de type « Réunion publique »");
        });
        Document index = dumpDom("http://127.0.0.1:" + port + "/agenda/", profile);
        assertThat(index.select("#filtre-type option[value=reunion-publique]").text()).isEqualTo("Réunion publique");
    }

    @Test
    void theFilterTakesItsChoicesFromTheAddressHidesThePagesAndCountsTheDaysAnEventIsOn(@TempDir Path profile)
            throws Exception {
        List<EventPublished> events = new ArrayList<>();
        // Enough events for the agenda to have a second page, whose links mean nothing for a filtered list. After
        // every other test's events (a month or so ahead): the classes that run after this one read the agenda's
        // first page for theirs, and these 21 pushed them onto the second as soon as an hour boundary passed between
        // the two (event() truncates the start to the hour, and the title only breaks ties within it).
        Instant later = Instant.now().plus(java.time.Duration.ofDays(1000))
                .truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        for (int i = 0; i < 21; i++) {
            events.add(event("remplissage-filtre-" + i, 1).setStartsAt(later).setEndsAt(later.plusSeconds(3600))
                    .build());
        }
        List<String> type = List.of("Filtre par jours");
        events.add(event("finit-a-minuit", 1).setCategories(type)
                .setStartsAt(Instant.parse("2031-05-10T18:00:00Z")).setEndsAt(Instant.parse("2031-05-10T22:00:00Z"))
                .build());
        events.add(event("deux-journees", 1).setCategories(type)
                .setStartsAt(Instant.parse("2031-05-10T22:00:00Z")).setEndsAt(Instant.parse("2031-05-11T22:00:00Z"))
                .build());
        events.add(event("le-12-au-matin", 1).setCategories(type)
                .setStartsAt(Instant.parse("2031-05-12T08:00:00Z")).setEndsAt(Instant.parse("2031-05-12T09:00:00Z"))
                .build());
        events.forEach(IntegrationTestBase::publish);
        // Both in one wait: the three of the type are on partitions 0 and 1, seven of the others on partition 2 only,
        // and a burst's listings are also written midway (every 500 ms), so the type page can be complete while the
        // agenda still lacks a partition's share of the others, and its second page.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(Jsoup.parse(SiteChecks.read(file("agenda/type/filtre-par-jours/index.html")))
                            .select(".event-card")).hasSize(3);
                    assertThat(Jsoup.parse(SiteChecks.read(file("agenda/index.html"))).select("nav.pagination"))
                            .isNotEmpty();
                });
        String agenda = "http://127.0.0.1:" + port + "/agenda/";

        // Paris time: 20 h to midnight on the 10th; the whole days of the 11th and 12th; 10 h on the 12th.
        Document the11th = dumpDom(agenda + "?debut=2031-05-11&fin=2031-05-11&type=filtre-par-jours", profile);
        assertThat(the11th.select("#filtre-resultats h3").eachText()).containsExactly("Titre deux-journees");
        // The outline stays h1, h2, h3 while the listing's sections are hidden (no level skipped).
        assertThat(the11th.select("#filtre-resultats > h2").text()).isEqualTo("1 événement(s)");
        assertThat(the11th.select("#liste").hasAttr("hidden")).isTrue();
        assertThat(the11th.select("nav.pagination").hasAttr("hidden")).isTrue();

        Document the10th = dumpDom(agenda + "?debut=2031-05-10&fin=2031-05-10&type=filtre-par-jours", profile);
        assertThat(the10th.select("#filtre-resultats h3").eachText()).containsExactly("Titre finit-a-minuit");
        Document the12th = dumpDom(agenda + "?debut=2031-05-12&type=filtre-par-jours", profile);
        assertThat(the12th.select("#filtre-resultats h3").eachText())
                .containsExactly("Titre deux-journees", "Titre le-12-au-matin");

        // An address the form cannot hold filters nothing, runs nothing, and leaves the full listing and its pages.
        Document hostile = dumpDom(agenda + "?type=%3Cscript%3E" + JS.replace("'", "%27").replace(" ", "%20")
                + "%3C/script%3E&debut=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E", profile);
        assertThat(hostile.title()).isNotEqualTo("PWNED");
        assertThat(hostile.select("xss-marker, #filtre-resultats img")).isEmpty();
        assertThat(hostile.select("#filtre-resultats").text()).isEmpty();
        assertThat(hostile.select("#liste").hasAttr("hidden")).isFalse();
        assertThat(hostile.select("nav.pagination").hasAttr("hidden")).isFalse();
    }

    private void assertWholeSiteValid() throws IOException {
        Path root = site().toRealPath();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path path : files.filter(Files::isRegularFile).toList()) {
                String name = path.getFileName().toString();
                String content = Files.readString(path);
                if (name.endsWith(".html")) {
                    SiteChecks.validHtml(content, root.relativize(path).toString());
                } else if (name.endsWith(".ics")) {
                    SiteChecks.validIcs(content);
                } else if (name.equals("feed.xml")) {
                    SiteChecks.validAtom(content);
                }
            }
        }
    }

    private static String payload(int index) {
        return PAYLOADS.get(index % PAYLOADS.size());
    }

    private static Document dumpDom(String url, Path profile) throws IOException, InterruptedException {
        return HeadlessChromium.dumpDom(url, profile, 3000);
    }
}
