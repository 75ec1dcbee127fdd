package dev.agenda.notification.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.NotificationProperties;

class SubscriptionRateLimiterTest {

    private final SubscriptionRateLimiter limiter = new SubscriptionRateLimiter(
            new NotificationProperties.RateLimit(2, Duration.ofHours(1), 5, Duration.ofMinutes(1)), 10);

    @Test
    void aFloodOfNewAddressesDoesNotResetTheLimitOfTheAddressBeingBombed() {
        assertThat(limiter.allowAddress("victim@example.org")).isTrue();
        assertThat(limiter.allowAddress("victim@example.org")).isTrue();
        assertThat(limiter.allowAddress("victim@example.org")).isFalse();

        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            allowed += limiter.allowAddress("flood-" + i + "@example.org") ? 1 : 0;
        }

        // Every bucket is in use (none back to full): new keys are refused rather than the victim's forgotten.
        assertThat(allowed).isEqualTo(9);
        assertThat(limiter.allowAddress("victim@example.org")).isFalse();
    }

    @Test
    void subaddressesCountForTheirMailbox() {
        assertThat(limiter.allowAddress("ana+a@example.org")).isTrue();
        assertThat(limiter.allowAddress("ana+b@example.org")).isTrue();
        assertThat(limiter.allowAddress("ana@example.org")).isFalse();
        assertThat(limiter.allowAddress("ana@example.net")).isTrue();
        assertThat(SubscriptionRateLimiter.mailboxKey("+x@example.org")).isEqualTo("+x@example.org");
    }

    @Test
    void gmailAddressesThatDifferByTheirDotsShareTheirMailboxsLimit() {
        assertThat(SubscriptionRateLimiter.mailboxKey("a.na+x@googlemail.com")).isEqualTo("ana@gmail.com");
        assertThat(SubscriptionRateLimiter.mailboxKey("an.a@gmail.com")).isEqualTo("ana@gmail.com");
        // Elsewhere a dot makes another mailbox.
        assertThat(SubscriptionRateLimiter.mailboxKey("a.na@example.org")).isEqualTo("a.na@example.org");
        assertThat(SubscriptionRateLimiter.mailboxKey("noat")).isEqualTo("noat");
    }

    @Test
    void anIpv6ClientIsItsSlash64() {
        for (int i = 1; i <= 5; i++) {
            assertThat(limiter.allowClient("2001:db8:1:2::" + Integer.toHexString(i * 4099))).isTrue();
        }
        // Another address of the same /64, however written: the same client.
        assertThat(limiter.allowClient("2001:0db8:0001:0002:ffff:0:0:1")).isFalse();
        assertThat(limiter.allowClient("2001:db8:1:3::1")).isTrue();
        // IPv4, plain or mapped: one client per address.
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.allowClient(i % 2 == 0 ? "192.0.2.7" : "::ffff:192.0.2.7")).isTrue();
        }
        assertThat(limiter.allowClient("192.0.2.7")).isFalse();
        assertThat(limiter.allowClient("192.0.2.8")).isTrue();
    }

    @Test
    void aScriptTakingANewSlash64AtEveryRequestIsBoundByItsSlash48() {
        SubscriptionRateLimiter roomy = new SubscriptionRateLimiter(
                new NotificationProperties.RateLimit(2, Duration.ofHours(1), 5, Duration.ofMinutes(1)), 100_000);
        int allowed = 0;
        for (int i = 0; i < 1000; i++) {
            allowed += roomy.allowClient("2001:db8:7:" + Integer.toHexString(i) + "::1") ? 1 : 0;
        }
        // 5 a minute per /64, 16 times that for the /48 they share.
        assertThat(allowed).isEqualTo(5 * 16);
        assertThat(roomy.clientRetryAfter("2001:db8:7:ffff::1")).isBetween(1L, 60L);
        // Another site's /48 is not held back.
        assertThat(roomy.allowClient("2001:db8:8::1")).isTrue();
    }

    @Test
    void aClientPastItsOwnLimitDoesNotUseUpItsNeighboursAllowance() {
        SubscriptionRateLimiter roomy = new SubscriptionRateLimiter(
                new NotificationProperties.RateLimit(2, Duration.ofHours(1), 5, Duration.ofMinutes(1)), 100_000);
        // A retry loop on one /64: past its 5, each refused request used to take from the /48 all the same.
        for (int i = 0; i < 200; i++) {
            roomy.allowClient("2001:db8:9:1::1");
        }
        assertThat(roomy.allowClient("2001:db8:9:1::1")).isFalse();
        for (int neighbour = 2; neighbour < 2 + 15; neighbour++) {
            for (int i = 0; i < 5; i++) {
                assertThat(roomy.allowClient("2001:db8:9:" + neighbour + "::1")).as("/64 %d", neighbour).isTrue();
            }
        }
    }

    @Test
    void aRetryAfterForAClientTheNetworkRefusedMakesNoRoomForIt() {
        SubscriptionRateLimiter small = new SubscriptionRateLimiter(
                new NotificationProperties.RateLimit(2, Duration.ofHours(1), 1, Duration.ofMinutes(1)), 100_000);
        for (int i = 0; i < 16; i++) {
            assertThat(small.allowClient("2001:db8:a:" + i + "::1")).isTrue();
        }
        for (int i = 16; i < 1000; i++) {
            assertThat(small.allowClient("2001:db8:a:" + Integer.toHexString(i) + "::1")).isFalse();
            assertThat(small.clientRetryAfter("2001:db8:a:" + Integer.toHexString(i) + "::1")).isBetween(1L, 60L);
        }
        assertThat(small.clientKeys()).isEqualTo(16);
    }

    @Test
    void bucketsBackToFullMakeRoomForNewKeys() {
        SubscriptionRateLimiter roomy = new SubscriptionRateLimiter(
                new NotificationProperties.RateLimit(2, Duration.ofMillis(1), 5, Duration.ofMinutes(1)), 3);
        for (int i = 0; i < 3; i++) {
            assertThat(roomy.allowAddress("a" + i + "@example.org")).isTrue();
        }
        // A refill period of 1 ms: by the next call each bucket is full again, so it can be dropped without loss.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2))
                .until(() -> roomy.allowAddress("late-" + System.nanoTime() + "@example.org"));
    }
}
