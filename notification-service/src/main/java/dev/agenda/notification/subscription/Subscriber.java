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
 */
public record Subscriber(String id, String email, SubscriberStatus status, Preferences preferences,
        Instant createdAt, Instant confirmedAt, Instant expiresAt, Instant unsubscribedAt, String source,
        Integer epoch) {

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
