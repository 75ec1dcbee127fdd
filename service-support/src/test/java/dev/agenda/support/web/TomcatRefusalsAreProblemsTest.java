package dev.agenda.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Requests refused before any application code sees them were answered with Tomcat's HTML error page, or by the
 * security firewall with the framework's own error JSON: the errors of the APIs that were not problem documents.
 */
@SpringBootTest(classes = TomcatRefusalsAreProblemsTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "agenda.security.admin-password=tomcat-refusals-test")
class TomcatRefusalsAreProblemsTest {

    @LocalServerPort
    int port;

    @Test
    void aRawNonAsciiByteInTheAddressIsA400ProblemDocument() throws IOException {
        byte[] request = concat("GET /api/ping?q=CAF".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC3,
                (byte) 0x89}, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String answer = send(request);
        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json")
                .contains("\"status\":400").contains("\"title\":\"Bad Request\"").contains("percent-encoded")
                .doesNotContain("<html");
    }

    @Test
    void aControlCharacterInAHeaderIsA400ProblemDocument() throws IOException {
        String answer = send(("GET /api/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nIdempotency-Key: a\u0001b\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json").contains("\"status\":400")
                .doesNotContain("<html");
    }

    @Test
    void anAddressTheSecurityFirewallRefusesIsA400ProblemDocument() throws IOException {
        for (String path : new String[] {"/api/ping;x", "/api//ping", "/api/%2e%2e/ping"}) {
            String answer = send(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(answer).as(path).startsWith("HTTP/1.1 400 ");
            assertThat(answer).as(path).containsIgnoringCase("Content-Type: application/problem+json")
                    .contains("\"status\":400").doesNotContain("timestamp");
        }
    }

    private String send(byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    @SpringBootApplication
    @RestController
    static class App {
        @GetMapping("/api/ping")
        String ping() {
            return "pong";
        }
    }
}
