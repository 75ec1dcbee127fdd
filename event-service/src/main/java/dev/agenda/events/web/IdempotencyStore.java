package dev.agenda.events.web;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Responses remembered by Idempotency-Key, per user. */
public interface IdempotencyStore {

    /** A remembered request: its fingerprint and, once finished, its response. */
    record Entry(String id, String fingerprint, boolean done, int status, Map<String, String> headers, byte[] body,
            Instant createdAt) {
    }

    /** Claims the key for a new request; empty if it was free, else the entry that holds it. */
    Optional<Entry> claim(String id, String fingerprint, Instant now);

    void complete(String id, int status, Map<String, String> headers, byte[] body);

    void release(String id);
}
