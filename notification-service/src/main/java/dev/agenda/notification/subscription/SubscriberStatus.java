package dev.agenda.notification.subscription;

public enum SubscriberStatus {
    /** Asked, not yet confirmed: receives nothing but the confirmation email; removed when it expires. */
    PENDING,
    CONFIRMED,
    UNSUBSCRIBED,
    /**
     * The address does not exist (any more): a hard bounce (RFC 3464 report, or the SMTP server's answer) said so for
     * an email of its current subscription. Receives nothing, as UNSUBSCRIBED; the public form starts it over with
     * double opt-in, whose confirmation proves the mailbox works again; an import leaves it as it is.
     */
    BOUNCED
}
