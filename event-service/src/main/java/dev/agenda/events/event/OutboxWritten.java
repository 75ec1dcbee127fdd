package dev.agenda.events.event;

/** Published in-process right after a write that queued a message, so the relay sends it without waiting to poll. */
public record OutboxWritten(String eventId) {
}
