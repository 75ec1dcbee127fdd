package dev.agenda.events.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.events.support.InfrastructureTest;

/** An Idempotency-Key claimed by a request that never finished does not block its retries for a day. */
class IdempotencyClaimTest extends InfrastructureTest {

    @Autowired
    MongoIdempotencyStore keys;

    @Test
    void aClaimAbandonedLongerThanAnyRequestTakesIsTakenOverAFinishedOneIsNot() {
        String id = "admin:" + UUID.randomUUID();
        Instant claimed = Instant.parse("2030-01-01T10:00:00Z");
        assertThat(keys.claim(id, "fp", claimed)).isEmpty();

        // Still running, as far as anyone can tell: a retry is told so (409).
        assertThat(keys.claim(id, "fp", claimed.plus(Duration.ofMinutes(1))))
                .hasValueSatisfying(entry -> assertThat(entry.done()).isFalse());

        // The service was killed while it ran: the retry may go ahead.
        Instant retried = claimed.plus(MongoIdempotencyStore.IN_PROGRESS_LEASE).plusSeconds(1);
        assertThat(keys.claim(id, "fp", retried)).isEmpty();

        // Once finished, its answer is kept for the key's whole life.
        keys.complete(id, 201, Map.of(), new byte[] {1});
        assertThat(keys.claim(id, "fp", retried.plus(Duration.ofHours(1))))
                .hasValueSatisfying(entry -> assertThat(entry.done()).isTrue());
    }
}
