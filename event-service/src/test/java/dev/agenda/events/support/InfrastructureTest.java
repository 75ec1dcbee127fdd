package dev.agenda.events.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import dev.agenda.infra.LocalInfrastructure;

/**
 * The whole service against the real local Kafka broker, schema registry and MongoDB launcher. Every subclass shares
 * one Spring context (same configuration) and the one infrastructure of the JVM; {@link #http} reaches the same
 * application over HTTP.
 */
// A real Tomcat too (random port): malformed multipart and chunked bodies only exist on the wire, not in MockMvc.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "agenda.security.admin-password=" + InfrastructureTest.PASSWORD)
@AutoConfigureMockMvc
public abstract class InfrastructureTest {

    public static final String PASSWORD = "test-admin-password";
    public static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    protected MockMvc mvc;

    @LocalServerPort
    protected int port;

    /** Sends a request to the running server (MockMvc cannot send chunked or malformed multipart bodies). */
    protected HttpResponse<String> http(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Authorization", ADMIN).build(), HttpResponse.BodyHandlers.ofString());
    }

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        LocalInfrastructure.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
    }
}
