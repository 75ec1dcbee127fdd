package dev.agenda.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.notification.IntegrationTestBase;
import dev.agenda.notification.event.NoticeKind;

/**
 * The end-of-data mark is written from inside the COMMITTING update, once the update is ready to leave and before
 * MongoDB has applied it, on the sending thread; and only for the update of the claim that holds the record.
 */
class CommittingMarkTest extends IntegrationTestBase {

    @Autowired
    DeliveryStore store;

    private Delivery claimedDelivery() {
        String id = UUID.randomUUID().toString();
        DeliveryOrder order = new DeliveryOrder(id, UUID.randomUUID().toString(), 1, NoticeKind.ANNOUNCEMENT,
                UUID.randomUUID().toString());
        store.insertOrLoad(order, Instant.now());
        return store.claim(id, Instant.now(), Duration.ofMinutes(1)).orElseThrow();
    }

    @Test
    void theTaskRunsOnTheCallingThreadBeforeTheUpdateIsApplied() {
        Delivery claimed = claimedDelivery();
        List<DeliveryStatus> seenByTask = new ArrayList<>();
        Thread caller = Thread.currentThread();
        List<Thread> ranOn = new ArrayList<>();
        boolean marked = store.markCommitting(claimed, 1, Instant.now(), () -> {
            ranOn.add(Thread.currentThread());
            seenByTask.add(store.find(claimed.id()).orElseThrow().status());
        });
        assertThat(marked).isTrue();
        assertThat(ranOn).containsExactly(caller);
        assertThat(seenByTask).containsExactly(DeliveryStatus.SENDING);
        assertThat(store.find(claimed.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.COMMITTING);
    }

    @Test
    void anotherClaimsUpdateAppliesNothingButStillRunsTheTaskItWasGiven() {
        Delivery claimed = claimedDelivery();
        // Taken over: the lease expired and another sender claimed it (attempts moves on).
        Delivery stale = new Delivery(claimed.id(), claimed.eventId(), claimed.kind(), claimed.revision(),
                claimed.noticeRevision(), claimed.subscriberId(), claimed.status(), claimed.attempts() - 1, null,
                claimed.createdAt(), claimed.updatedAt(), null, claimed.leaseUntil());
        List<String> ran = new ArrayList<>();
        assertThat(store.markCommitting(stale, 1, Instant.now(), () -> ran.add("end of data"))).isFalse();
        assertThat(ran).containsExactly("end of data");
        assertThat(store.find(claimed.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.SENDING);
    }
}
