package dev.agenda.events.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.agenda.events.support.InfrastructureTest;

/** Bodies that only exist on the wire (chunked, malformed multipart) get a 4xx problem, never a 500. */
class WireErrorsTest extends InfrastructureTest {

    @Test
    void anOversizedChunkedJsonBodyIs413NotAFieldError() throws Exception {
        byte[] body = ("{\"title\": \"" + "x".repeat(600_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        // An input stream of unknown length: sent chunked, without Content-Length.
        HttpResponse<String> response = http(HttpRequest.newBuilder(uri("/api/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body()).doesNotContain("\"errors\"");
    }

    @Test
    void aMultipartBodyWithoutBoundaryOrCutShortIs400() throws Exception {
        HttpResponse<String> noBoundary = http(HttpRequest.newBuilder(uri("/api/imports/jekyll"))
                .header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("---\ntitle: A\n---\n")));
        assertThat(noBoundary.statusCode()).isEqualTo(400);
        assertThat(noBoundary.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));

        String truncated = "--b0undary\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.md\"\r\n"
                + "Content-Type: text/markdown\r\n\r\n---\ntitle: A\n";
        HttpResponse<String> cut = http(HttpRequest.newBuilder(uri("/api/imports/jekyll"))
                .header("Content-Type", "multipart/form-data; boundary=b0undary")
                .POST(HttpRequest.BodyPublishers.ofString(truncated)));
        assertThat(cut.statusCode()).isEqualTo(400);
        assertThat(cut.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
    }

    private HttpRequest.Builder upload(String key, String boundary, String fileName, String content) {
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + fileName
                + "\"\r\nContent-Type: text/markdown\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
        return HttpRequest.newBuilder(uri("/api/imports/jekyll")).header("Idempotency-Key", key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void anIdempotencyKeyOnAnImportTellsTwoFilesOfTheSameLengthApart() throws Exception {
        String key = java.util.UUID.randomUUID().toString();
        String marker = key.substring(0, 8);
        String a = "---\ntitle: Fichier A\nevent_start_date: 2030-01-01 10:00:00 +01:00\n---\n";
        String b = "---\ntitle: Fichier B\nevent_start_date: 2030-01-01 10:00:00 +01:00\n---\n";
        HttpResponse<String> first = http(upload(key, "bbbbbbbb", "idem-" + marker + ".md", a));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("CREATED");

        // The same import again, as another client would send it (another boundary): the first answer, replayed.
        HttpResponse<String> retry = http(upload(key, "cccccccccccc", "idem-" + marker + ".md", a));
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.body()).isEqualTo(first.body());

        // Another file of exactly the same length under the same key: refused, not replayed.
        HttpResponse<String> other = http(upload(key, "bbbbbbbb", "idem-" + marker + ".md", b));
        assertThat(other.statusCode()).as(other.body()).isEqualTo(422);
    }
}
