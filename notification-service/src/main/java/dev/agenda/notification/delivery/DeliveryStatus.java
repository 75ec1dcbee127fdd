package dev.agenda.notification.delivery;

public enum DeliveryStatus {
    PENDING,
    /** Claimed by a sender until {@code leaseUntil}; after a crash, the lease expiring lets another take it. */
    SENDING,
    SENT,
    FAILED,
    /** Nothing to send any more (unsubscribed, event deleted or cancelled before the announcement went out...). */
    SKIPPED
}
