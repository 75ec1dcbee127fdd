package dev.agenda.events.event;

import java.time.Instant;

import dev.agenda.events.domain.EventStatus;

/** Filters of the event list; every one is optional. {@code q} matches title and lead, case-insensitively. */
record EventQuery(EventStatus status, String category, String tag, Instant from, Instant to, String q, int page,
        int size) {
}
