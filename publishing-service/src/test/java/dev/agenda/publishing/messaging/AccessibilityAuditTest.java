package dev.agenda.publishing.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.agenda.infra.browser.AxeAudit;
import dev.agenda.publishing.event.SiteEvent;
import dev.agenda.publishing.site.SiteBuilder;

/**
 * The accessibility the issue asks for (WCAG 2.1 AA: language, headings, alternative texts, contrast, names of links
 * and controls, landmarks), checked by a rules engine the auditors use, axe-core, in a real browser: contrast can
 * only be computed on the rendered page. The pages are the corpus site's (its real content, raw HTML and embeds
 * included): the listings, the 404 page, and event pages chosen for what they carry.
 */
class AccessibilityAuditTest {

    @Test
    void theCorpusSitePassesAnAxeAuditInARealBrowser(@TempDir Path profile, @TempDir Path out) throws Exception {
        List<SiteEvent> events = new ArrayList<>(CorpusSite.read().events());
        events.sort(Comparator.comparing(SiteEvent::slug));
        Map<String, SiteEvent> chosen = new LinkedHashMap<>();
        choose(chosen, "a video embedded in its body", events, e -> e.body() != null && e.body().contains("<iframe"));
        choose(chosen, "an image", events, e -> !e.images().isEmpty());
        choose(chosen, "the most information rows", events, e -> e.infos().size() == events.stream()
                .mapToInt(x -> x.infos().size()).max().orElseThrow());
        choose(chosen, "access lines", events, e -> !e.access().isEmpty());
        choose(chosen, "online only", events, e -> e.location() != null && e.location().online());
        choose(chosen, "no venue at all", events, e -> e.location() == null || e.location().name() == null);
        // The corpus has no cancelled event; its banner has colours of its own.
        SiteEvent cancelled = cancelledCopy(events.stream().filter(e -> !chosen.containsValue(e)).findFirst()
                .orElseThrow());
        events.replaceAll(e -> e.eventId().equals(cancelled.eventId()) ? cancelled : e);
        chosen.put("cancelled", cancelled);

        SiteBuilder builder = new SiteBuilder(
                CorpusSite.renderer(out, "https://notifications.agenda.example/api/subscriptions"), out.resolve("site"));
        builder.buildAll(events, CorpusSite.NOW);
        Path site = builder.root();
        assertThat(Files.readString(site.resolve("agenda/index.html"))).contains("id=\"abonnement\" data-endpoint=");

        Map<String, String> pages = new LinkedHashMap<>();
        // The home page only redirects to /agenda/ (an immediate refresh, which WCAG allows): nothing to audit there.
        pages.put("upcoming events, with the filter and the subscription form", "agenda/index.html");
        pages.put("second page of the agenda", "agenda/page/2/index.html");
        pages.put("a type's listing", firstListing(site.resolve("agenda/type")));
        pages.put("a theme's listing", firstListing(site.resolve("agenda/theme")));
        pages.put("page not found", "404.html");
        chosen.forEach((why, event) -> pages.put("event with " + why, "agenda/" + event.slug() + "/index.html"));

        HttpServer server = serve(site);
        List<String> violations = new ArrayList<>();
        try {
            for (Map.Entry<String, String> page : pages.entrySet()) {
                Path file = site.resolve(page.getValue());
                // A copy next to the page, so that its relative links resolve as the page's own.
                Path audited = file.resolveSibling("audit-" + file.getFileName());
                Files.writeString(audited, AxeAudit.withAudit(Files.readString(file)));
                List<String> found = AxeAudit.violations("http://127.0.0.1:" + server.getAddress().getPort() + "/"
                        + site.relativize(audited), profile);
                found.forEach(v -> violations.add(page.getKey() + " (" + page.getValue() + "): " + v));
            }
        } finally {
            server.stop(0);
        }
        assertThat(violations).as("axe-core violations").isEmpty();
    }

    private static void choose(Map<String, SiteEvent> chosen, String why, List<SiteEvent> events,
            Predicate<SiteEvent> carries) {
        chosen.put(why, events.stream().filter(carries).findFirst()
                .orElseThrow(() -> new AssertionError("no corpus event with " + why)));
    }

    private static SiteEvent cancelledCopy(SiteEvent e) {
        return new SiteEvent(e.eventId(), e.revision() + 1, true, e.slug(), e.title(), e.lead(), e.primaryCategory(),
                e.categories(), e.tags(), e.images(), e.startsAt(), e.endsAt(), e.timeZone(), e.location(), e.access(),
                e.infos(), e.body(), e.firstPublishedAt(), e.updatedAt(), e.publicationDate());
    }

    private static String firstListing(Path listings) throws IOException {
        try (var dirs = Files.list(listings)) {
            Path first = dirs.filter(Files::isDirectory).sorted().findFirst().orElseThrow();
            return listings.getParent().getParent().relativize(first.resolve("index.html")).toString();
        }
    }

    /** The site over HTTP, as nginx serves it: its links are absolute paths. */
    private static HttpServer serve(Path site) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Path file = site.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (Files.isDirectory(file)) {
                file = file.resolve("index.html");
            }
            if (!file.startsWith(site) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            String name = file.getFileName().toString();
            exchange.getResponseHeaders().set("Content-Type", name.endsWith(".css") ? "text/css"
                    : name.endsWith(".js") ? "text/javascript" : name.endsWith(".svg") ? "image/svg+xml"
                    : name.endsWith(".json") ? "application/json" : "text/html; charset=utf-8");
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream response = exchange.getResponseBody()) {
                response.write(body);
            }
        });
        server.start();
        return server;
    }
}
