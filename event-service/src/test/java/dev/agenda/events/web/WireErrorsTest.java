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
}
