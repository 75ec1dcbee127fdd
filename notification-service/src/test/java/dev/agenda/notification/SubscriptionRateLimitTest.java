package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

/**
 * The per-client-IP limit of POST /api/subscriptions, over real HTTP. The test client connects from 127.0.0.1, a
 * trusted proxy by default, so distinct clients are simulated with the X-Forwarded-For such a proxy appends.
 * (The per-address limit: {@code NotificationFlowTest.requestsPerAddressAreRateLimited} and below.)
 */
class SubscriptionRateLimitTest extends IntegrationTestBase {

    private HttpResponse<String> subscribeFrom(String ip, String email) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/subscriptions"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", ip)
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClientIpGetsItsQuotaThen429WhileOtherClientsAreStillServed() throws Exception {
        String ip = "203.0.113." + (1 + (int) (Math.random() * 250));
        // Every request counts against the client, even one the address check then rejects: flooding the form
        // with garbage is flooding it. Invalid addresses also keep this test from sending emails.
        for (int i = 0; i < PER_CLIENT_LIMIT; i++) {
            assertThat(subscribeFrom(ip, "not an address " + i).statusCode()).isEqualTo(400);
        }
        HttpResponse<String> limited = subscribeFrom(ip, unique("late") + "@example.org");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(limited.body()).contains("client");
        // When its allowance comes back (the client's: within a minute), not a guess left to the form's script.
        assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                seconds -> assertThat(seconds).isBetween(1L, 60L));

        String other = "198.51.100." + (1 + (int) (Math.random() * 250));
        assertThat(subscribeFrom(other, unique("other") + "@example.org").statusCode()).isEqualTo(202);
    }

    @Test
    void aClientCannotEscapeItsLimitByWritingItsOwnXForwardedFor() throws Exception {
        // The proxy appends the address it saw; whatever the client put before it is the client's own invention.
        String ip = "100.64.7." + (1 + (int) (Math.random() * 250));
        for (int i = 0; i < PER_CLIENT_LIMIT; i++) {
            assertThat(subscribeFrom("198.18.0." + i + ", " + ip, "not an address " + i).statusCode()).isEqualTo(400);
        }
        assertThat(subscribeFrom("198.18.1.1, " + ip, unique("spoof") + "@example.org").statusCode()).isEqualTo(429);
    }

    @Test
    void anIpv6ClientCannotEscapeItsLimitByChangingAddressWithinItsSlash64() throws Exception {
        String prefix = "2001:db8:" + Integer.toHexString(1 + (int) (Math.random() * 65000)) + ":7:";
        for (int i = 0; i < PER_CLIENT_LIMIT; i++) {
            assertThat(subscribeFrom(prefix + ":" + Integer.toHexString(i + 1), "not an address " + i).statusCode())
                    .isEqualTo(400);
        }
        HttpResponse<String> limited = subscribeFrom(prefix + "abcd:1:2:3", unique("v6") + "@example.org");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).contains("client");
    }

    @Test
    void subaddressesShareTheLimitOfTheMailboxTheyReach() throws Exception {
        String local = unique("wei");
        for (int i = 1; i <= 3; i++) {
            assertThat(subscribeFrom("192.0.2.2" + i, local + "+" + i + "@example.org").statusCode()).isEqualTo(202);
        }
        HttpResponse<String> limited = subscribeFrom("192.0.2.24", local + "+4@example.org");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).contains("address");
        assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                seconds -> assertThat(seconds).isBetween(1L, 3600L));
        assertThat(subscribeFrom("192.0.2.24", local + "@example.org").statusCode()).isEqualTo(429);
        assertThat(subscribeFrom("192.0.2.24", local + "@example.net").statusCode()).isEqualTo(202);
    }

    @Test
    void anAddressIsLimitedWhateverTheClientAndWhateverItsSpelling() throws Exception {
        String local = unique("Una");
        assertThat(subscribeFrom("192.0.2.11", local + "@Example.org").statusCode()).isEqualTo(202);
        assertThat(subscribeFrom("192.0.2.12", local.toLowerCase() + "@example.org").statusCode()).isEqualTo(202);
        assertThat(subscribeFrom("192.0.2.13", local.toUpperCase() + "@EXAMPLE.ORG").statusCode()).isEqualTo(202);
        HttpResponse<String> limited = subscribeFrom("192.0.2.14", local + "@example.ORG");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).contains("address");
        assertThat(subscribeFrom("192.0.2.14", unique("vic") + "@example.org").statusCode()).isEqualTo(202);
    }
}
