package dev.agenda.notification.delivery;

public enum DeliveryStatus {
    PENDING,
    /** Claimed by a sender until {@code leaseUntil}; after a crash, the lease expiring lets another take it. */
    SENDING,
    /**
     * The SMTP server has the whole message and its end-of-data mark is being written: counts as sent and is never
     * sent again, even after a crash (see the notification-service README, "Exactly one email").
     */
    COMMITTING,
    SENT,
    FAILED,
    /** Nothing to send any more (unsubscribed, event deleted or cancelled before the announcement went out...). */
    SKIPPED
}
