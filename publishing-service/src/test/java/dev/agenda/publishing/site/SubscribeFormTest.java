package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.agenda.publishing.SiteChecks;
import dev.agenda.publishing.event.SiteEvent;

/**
 * Visitors subscribe to the email announcements from the agenda page. The site used to have no way to do it, while
 * the notification-service's pages send people back to "the site" to subscribe again and allow its origin (CORS)
 * for exactly that request.
 */
class SubscribeFormTest {

    private static final String CHROMIUM = "/usr/bin/chromium";

    private static SiteProperties properties(String subscribeUrl) {
        return new SiteProperties(Path.of("target/unused"), "https://agenda.example", "Agenda test", null, 20, 100,
                List.of(), Duration.ofSeconds(60), subscribeUrl);
    }

    private static String agendaPage(SiteRenderer renderer, Listing listing, int page) {
        SiteEvent event = SiteRendererTest.event("e1", "atelier", "Atelier", Instant.parse("2030-03-17T12:45:00Z"),
                null);
        return renderer.listingPage(listing, page, List.of(new Listing.Entry(event, true)), true);
    }

    @Test
    void theAgendaPageOffersTheFormOnlyWhenTheServiceIsConfigured() {
        SiteRenderer renderer = new SiteRenderer(properties("https://abonnements.example/api/subscriptions"));
        Document first = SiteChecks.validHtml(agendaPage(renderer, Listing.ALL, 1), "agenda page");
        assertThat(first.select("form#abonnement").attr("data-endpoint"))
                .isEqualTo("https://abonnements.example/api/subscriptions");
        assertThat(first.select("form#abonnement").hasAttr("hidden")).as("shown by its script only").isTrue();
        assertThat(first.select("label[for=abonnement-email]").text()).isEqualTo("Votre adresse électronique");
        assertThat(first.select("input#abonnement-email").attr("type")).isEqualTo("email");
        assertThat(first.select("script[src=/assets/subscribe.js]")).hasSize(1);

        assertThat(Jsoup.parse(agendaPage(renderer, Listing.ALL, 2)).select("form#abonnement")).isEmpty();
        assertThat(Jsoup.parse(agendaPage(renderer, Listing.type("atelier", "Atelier"), 1)).select("form#abonnement"))
                .isEmpty();
        Document without = Jsoup.parse(agendaPage(new SiteRenderer(properties(null)), Listing.ALL, 1));
        assertThat(without.select("form#abonnement, script[src=/assets/subscribe.js]")).isEmpty();
    }

    /** The page and its script in a real headless Chromium, against a stand-in for the notification-service. */
    @Test
    void theFormPostsTheAddressAsJsonAndShowsTheServiceAnswer(@TempDir Path profile) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/subscriptions";
        SiteRenderer renderer = new SiteRenderer(properties(endpoint));
        // The test fills the field and submits once the page's deferred scripts have run.
        String page = agendaPage(renderer, Listing.ALL, 1).replace("</body>", "<script>addEventListener('load', "
                + "function () { document.getElementById('abonnement-email').value = ' ana@example.org ';"
                + " document.getElementById('abonnement').requestSubmit(); });</script></body>");
        server.createContext("/agenda/", exchange -> answer(exchange, 200, "text/html", page));
        server.createContext("/assets/subscribe.js",
                exchange -> answer(exchange, 200, "text/javascript", new String(renderer.asset("subscribe.js"),
                        StandardCharsets.UTF_8)));
        server.createContext("/api/subscriptions", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type")
                    + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 202, "application/json",
                    "{\"status\":\"accepted\",\"message\":\"Si cette adresse est valide, un courriel va lui être "
                            + "envoyé.\"}");
        });
        server.start();
        try {
            Document dom = dumpDom("http://127.0.0.1:" + server.getAddress().getPort() + "/agenda/", profile);
            assertThat(received).containsExactly("POST application/json {\"email\":\"ana@example.org\"}");
            assertThat(dom.select("form#abonnement").hasAttr("hidden")).isFalse();
            assertThat(dom.select("#abonnement-message").text())
                    .isEqualTo("Si cette adresse est valide, un courriel va lui être envoyé.");
        } finally {
            server.stop(0);
        }
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Document dumpDom(String url, Path profile) throws IOException, InterruptedException {
        assertThat(Path.of(CHROMIUM)).as("Chromium is needed (apt-get install -y chromium)").exists();
        List<String> command = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--virtual-time-budget=5000", "--dump-dom", url));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish loading " + url);
        }
        return Jsoup.parse(new String(out, StandardCharsets.UTF_8));
    }
}
