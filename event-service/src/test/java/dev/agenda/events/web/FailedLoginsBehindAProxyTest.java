package dev.agenda.events.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.agenda.events.support.InfrastructureTest;

/**
 * The failed-login limit counts per client, and behind a reverse proxy the client is the address the proxy vouches
 * for in X-Forwarded-For (the test's requests come from this host, a trusted proxy by default). Without that, every
 * admin behind the proxy shared its address, and one guesser locked them all out.
 */
class FailedLoginsBehindAProxyTest extends InfrastructureTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void aGuesserBehindTheProxyIsStoppedWithoutLockingOutTheAdminsBehindTheSameProxy() throws Exception {
        String wrong = "Basic " + Base64.getEncoder().encodeToString("admin:guess".getBytes(StandardCharsets.UTF_8));
        for (int guess = 1; guess <= 10; guess++) {
            assertThat(events(wrong, "203.0.113.50")).isEqualTo(401);
        }
        assertThat(events(wrong, "203.0.113.50")).isEqualTo(429);
        assertThat(events(ADMIN, "203.0.113.50")).isEqualTo(429);

        assertThat(events(ADMIN, "203.0.113.51")).isEqualTo(200);
        assertThat(events(ADMIN, null)).isEqualTo(200);
    }

    /** Its own client: {@link #http} adds the admin's credentials to every request. */
    private int events(String authorization, String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/events")).header("Authorization", authorization);
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
