package dev.agenda.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.agenda.schemas.EventPublished;

/**
 * The site as the preview server serves it, every path of it public, the API and Actuator still an admin's: a dead
 * link or an image the site does not hold answered a password prompt (a visitor's browser showed a login box on
 * every event page with an image).
 */
class ServedSiteIntegrationTest extends IntegrationTestBase {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyPathOfTheSiteIsPublicAndAMissingOneIsTheSites404Page() throws Exception {
        for (String path : new String[] {"/uploads/affiche.png", "/ancien/chemin/page", "/favicon.ico"}) {
            HttpResponse<String> answer = get(path, false);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).as(path).isEmpty();
            assertThat(answer.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
        }
    }

    @Test
    void theApiAndActuatorStayAnAdminsAndRefuseAnotherSitesPost() throws Exception {
        assertThat(get("/api/site/status", false).statusCode()).isEqualTo(401);
        assertThat(get("/api/autre-chose", false).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", false).statusCode()).isEqualTo(401);
        assertThat(get("/actuator", false).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/health", false).statusCode()).isEqualTo(200);
        assertThat(get("/api/site/status", true).statusCode()).isEqualTo(200);
        HttpResponse<String> crossSite = http.send(request("/api/site/rebuild", true)
                .header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(crossSite.statusCode()).isEqualTo(403);
    }

    @Test
    void aFilteredLinkKeepsItsFilterAndACalendarFileItsName() throws Exception {
        HttpResponse<String> redirect = get("/agenda?type=webinaire&debut=2023-01-01", false);
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("Location")).hasValue("/agenda/?type=webinaire&debut=2023-01-01");

        EventPublished event = event("fichier-ics-nomme", 1).build();
        publish(event);
        awaitApplied(event.getEventId(), 1, false);
        HttpResponse<String> page = get("/agenda/fichier-ics-nomme/", false);
        // As nginx in production: a layout breaking the policy shows in the preview too.
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("script-src 'self';").contains("frame-src https://www.youtube.com")
                .contains("https://peertube.designersethiques.org").contains("connect-src 'self' http://127.0.0.1:8082")
                .contains("frame-ancestors 'self'"));
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("strict-origin-when-cross-origin");
        HttpResponse<String> ics = get("/agenda/fichier-ics-nomme/fichier-ics-nomme.ics", false);
        assertThat(ics.statusCode()).isEqualTo(200);
        assertThat(ics.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                disposition -> assertThat(disposition).startsWith("inline").contains("fichier-ics-nomme.ics")
                        .doesNotContain("f.txt"));
    }

    private HttpResponse<String> get(String path, boolean admin) throws Exception {
        return http.send(request(path, admin).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, boolean admin) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (admin) {
            builder.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }
}
