package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What POST /api/subscriptions answers to a request whose shape is wrong: a 400 problem+json naming each field, never
 * a subscription to something else than what was asked for.
 */
class SubscriptionRequestTest extends IntegrationTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A client of its own (through the trusted local proxy): a /64 no other test uses, so that this test neither
     * uses up the others' quota nor meets a client another test has exhausted.
     */
    private static final String CLIENT = "2001:db8:feed:5::1";

    private HttpResponse<String> request(String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/subscriptions"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", CLIENT)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code errors} of a 400 problem+json, as "field: message" lines. */
    private static List<String> fieldErrors(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("instance").asString()).isEqualTo("/api/subscriptions");
        List<String> errors = new ArrayList<>();
        problem.path("errors").forEach(e -> {
            assertThat(e.path("message").asString()).isNotBlank();
            errors.add(e.path("field").asString());
        });
        return errors;
    }

    @Test
    void aChoiceMadeOfEmptyValuesIsRefusedNotWidenedToEverything() throws Exception {
        String email = unique("nul") + "@example.org";
        // Each of these, dropped, would leave no choice at all: a subscription to everything.
        for (String choice : List.of("\"categories\":[null]", "\"categories\":[\"  \"]", "\"tags\":[\"\"]",
                "\"tags\":[\"" + "x".repeat(81) + "\"]", "\"categories\":[\"atelier\",null]")) {
            HttpResponse<String> answer = request("{\"email\":\"" + email + "\"," + choice + "}");
            assertThat(answer.statusCode()).as(choice).isEqualTo(400);
        }
        assertThat(admin("GET", "/api/admin/subscribers?q=" + email, null, null).body()).contains("\"total\":0");
        // The same request with a usable value is taken as it is: chosen categories, not everything.
        assertThat(request("{\"email\":\"" + email + "\",\"categories\":[\"Atelier\"]}").statusCode())
                .isEqualTo(202);
        String listed = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(
                () -> admin("GET", "/api/admin/subscribers?q=" + email, null, null).body(),
                body -> body.contains("\"total\":1"));
        assertThat(listed).contains("\"everything\":false").contains("\"categories\":[\"atelier\"]");
    }

    @Test
    void eachInvalidFieldIsNamedInTheProblem() throws Exception {
        assertThat(fieldErrors(request("{\"email\":\"\"}"))).containsExactly("email");
        assertThat(fieldErrors(request("{}"))).containsExactly("email");
        assertThat(fieldErrors(request("{\"email\":\"not an address\"}"))).containsExactly("email");
        assertThat(fieldErrors(request("{\"email\":\"ana@example.org\",\"categories\":\"x\"}")))
                .containsExactly("categories");
        assertThat(fieldErrors(request("{\"email\":[\"ana@example.org\"]}"))).containsExactly("email");
        assertThat(fieldErrors(request("{\"email\":\"\",\"categories\":[\"ok\",null],\"tags\":[\" \"]}")))
                .containsExactly("categories[1]", "email", "tags[0]");
        assertThat(fieldErrors(request("{\"email\":\"ana@example.org\",\"categories\":["
                + "\"c\",".repeat(50) + "\"c\"]}"))).containsExactly("categories");
    }

    @Test
    void aMisspeltOrRepeatedFieldIsRefusedNotDroppedIntoASubscriptionToEverything() throws Exception {
        String email = unique("faute") + "@example.org";
        assertThat(fieldErrors(request("{\"email\":\"" + email + "\",\"category\":[\"atelier\"]}")))
                .containsExactly("category");
        assertThat(fieldErrors(request("{\"email\":\"" + email + "\",\"email\":\"autre@example.org\"}")))
                .containsExactly("email");
        assertThat(admin("GET", "/api/admin/subscribers?q=" + email, null, null).body()).contains("\"items\":[]");
    }

    @Test
    void aBodyThatIsNotJsonIsAProblemToo() throws Exception {
        HttpResponse<String> answer = request("{\"email\":");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(JSON.readTree(answer.body()).path("detail").asString()).isEqualTo(
                "The request body is not valid JSON.");
    }

    /**
     * A body far larger than any request of the form is refused before it is read (413 problem), chunked or not:
     * read, a few concurrent requests of tens of megabytes filled the heap and the service exited on
     * OutOfMemoryError. The admin's CSV import keeps a larger limit of its own.
     */
    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() throws Exception {
        String huge = "{\"email\":\"" + unique("gros") + "@example.org\",\"tags\":["
                + "\"x\",".repeat(40_000) + "\"x\"]}";
        HttpResponse<String> declared = request(huge);
        HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/subscriptions"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", CLIENT)
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(huge.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());
        for (HttpResponse<String> answer : List.of(declared, chunked)) {
            assertThat(answer.statusCode()).isEqualTo(413);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(JSON.readTree(answer.body()).path("detail").asString())
                    .isEqualTo("The request body is larger than 65536 bytes.");
        }

        StringBuilder csv = new StringBuilder("email\n");
        while (csv.length() < 200_000) {
            csv.append("  invalid-line-padding-for-size\n");
        }
        assertThat(admin("POST", "/api/admin/subscribers/import", "text/csv", csv.toString()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void anImportedLineWithAnUnusableChoiceIsReportedNotWidened() throws Exception {
        String email = unique("long") + "@example.org";
        HttpResponse<String> report = admin("POST", "/api/admin/subscribers/import", "text/csv",
                "email,categories\n" + email + "," + "y".repeat(81) + "\n");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("\"line\":2,\"email\":\"" + email + "\",\"outcome\":\"INVALID\"");
        assertThat(admin("GET", "/api/admin/subscribers?q=" + email, null, null).body()).contains("\"total\":0");
    }
}
