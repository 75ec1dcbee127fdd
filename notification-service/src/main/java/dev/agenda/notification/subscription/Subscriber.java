package dev.agenda.notification.subscription;

import java.time.Instant;

/**
 * One address and what it asked for.
 *
 * @param confirmedAt when the address confirmed (double opt-in) or was imported; events first published before
 *                    this instant are never announced to it
 * @param expiresAt   PENDING only: the confirmation link (and the subscription) expire then
 * @param source      FORM or IMPORT, for the consent record
 * @param epoch       which subscription of this address the record holds: raised each time it becomes CONFIRMED
 *                    (double opt-in or import), and carried by the management links of its emails, so that a link of
 *                    an earlier subscription (unsubscribed since, then subscribed again) acts on nothing. 0 for a
 *                    record stored before epochs existed (the field is missing), as in their links. Never null.
 * @param bouncedAt   when a hard bounce suppressed the address (BOUNCED, or PENDING again after one: if that request
 *                    expires unconfirmed, the address is BOUNCED again); null otherwise
 * @param bounceReason what the bounce said (its status code and diagnostic, addresses masked), for the admin
 */
public record Subscriber(String id, String email, SubscriberStatus status, Preferences preferences,
        Instant createdAt, Instant confirmedAt, Instant expiresAt, Instant unsubscribedAt, String source,
        Integer epoch, Instant bouncedAt, String bounceReason) {

    /** A subscriber never suppressed by a bounce. */
    public Subscriber(String id, String email, SubscriberStatus status, Preferences preferences, Instant createdAt,
            Instant confirmedAt, Instant expiresAt, Instant unsubscribedAt, String source, Integer epoch) {
        this(id, email, status, preferences, createdAt, confirmedAt, expiresAt, unsubscribedAt, source, epoch, null,
                null);
    }

    public Subscriber {
        // Boxed because the mapping passes null for a field the document lacks (records stored before epochs, and
        // queries that read a few fields only), which a primitive would refuse.
        epoch = epoch == null ? 0 : epoch;
    }

    public static final String FORM = "FORM";
    public static final String IMPORT = "IMPORT";

    public boolean isConfirmed() {
        return status == SubscriberStatus.CONFIRMED;
    }
}
