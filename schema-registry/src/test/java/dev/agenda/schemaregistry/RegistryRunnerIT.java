package dev.agenda.schemaregistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the packaged registry as the launchers do, and checks the Confluent-compatible API the serde relies on. */
class RegistryRunnerIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SCHEMA = "{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Probe\\\","
            + "\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"string\\\"}]}";
    private static Process registry;
    private static String api;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        Path runner = Path.of(System.getProperty("registry.runner"));
        assertTrue(Files.isRegularFile(runner), "runner jar missing: " + runner);
        Path log = runner.getParent().getParent().resolve("registry-it.log");
        registry = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-Dquarkus.http.port=" + port, "-jar", runner.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String base = "http://127.0.0.1:" + port;
        api = base + "/apis/ccompat/v7";
        org.awaitility.Awaitility.await("registry ready (see " + log + ")")
                .atMost(java.time.Duration.ofSeconds(90)).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> {
                    assertTrue(registry.isAlive(), "registry exited; see " + log);
                    return status("GET", base + "/health/ready", null) == 200;
                });
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.destroy();
            registry.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void registersASchemaAndResolvesItsIdBothWays() throws Exception {
        HttpResponse<String> registered = send("POST", api + "/subjects/probe-value/versions",
                "{\"schema\":\"" + SCHEMA + "\"}");
        assertEquals(200, registered.statusCode(), registered.body());
        String id = registered.body().replaceAll("\\D+", "");

        HttpResponse<String> byId = send("GET", api + "/schemas/ids/" + id, null);
        assertEquals(200, byId.statusCode());
        assertTrue(byId.body().contains("Probe"), byId.body());

        HttpResponse<String> lookup = send("POST", api + "/subjects/probe-value", "{\"schema\":\"" + SCHEMA + "\"}");
        assertEquals(200, lookup.statusCode());
        assertTrue(lookup.body().contains("\"id\":" + id), lookup.body());
    }

    @Test
    void anUnknownIdIsA404() throws Exception {
        assertEquals(404, status("GET", api + "/schemas/ids/99999", null));
    }

    private static int status(String method, String url, String body) {
        try {
            return send(method, url, body).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static HttpResponse<String> send(String method, String url, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
