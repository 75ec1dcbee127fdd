package dev.agenda.notification.subscription;

public enum SubscriberStatus {
    /** Asked, not yet confirmed: receives nothing but the confirmation email; removed when it expires. */
    PENDING,
    CONFIRMED,
    UNSUBSCRIBED
}
