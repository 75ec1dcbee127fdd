package dev.agenda.notification.subscription;

import java.time.Instant;

/**
 * One address and what it asked for.
 *
 * @param confirmedAt when the address confirmed (double opt-in) or was imported; events first published before
 *                    this instant are never announced to it
 * @param expiresAt   PENDING only: the confirmation link (and the subscription) expire then
 * @param source      FORM or IMPORT, for the consent record
 */
public record Subscriber(String id, String email, SubscriberStatus status, Preferences preferences,
        Instant createdAt, Instant confirmedAt, Instant expiresAt, Instant unsubscribedAt, String source) {

    public static final String FORM = "FORM";
    public static final String IMPORT = "IMPORT";

    public boolean isConfirmed() {
        return status == SubscriberStatus.CONFIRMED;
    }
}
