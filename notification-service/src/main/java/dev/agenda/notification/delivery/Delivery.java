package dev.agenda.notification.delivery;

import java.time.Instant;

import dev.agenda.notification.event.NoticeKind;

/**
 * The record of one email: unique on (eventId, kind, subscriberId, noticeRevision), the last being 0 for
 * announcements and the deciding revision for the other notices.
 */
public record Delivery(String id, String eventId, NoticeKind kind, long revision, long noticeRevision,
        String subscriberId, DeliveryStatus status, int attempts, String lastError, Instant createdAt,
        Instant updatedAt, Instant sentAt, Instant leaseUntil) {

    /** Nothing more to send: SENT, FAILED, SKIPPED, or COMMITTING (its sender finishes it; a crash leaves it sent). */
    public boolean isFinal() {
        return status == DeliveryStatus.SENT || status == DeliveryStatus.COMMITTING || status == DeliveryStatus.FAILED
                || status == DeliveryStatus.SKIPPED;
    }
}
