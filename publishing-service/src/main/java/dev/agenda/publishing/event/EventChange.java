package dev.agenda.publishing.event;

import java.time.Instant;

/** One record of the events log: a new public state, or the removal of the event. */
public sealed interface EventChange {

    String eventId();

    record Published(SiteEvent event) implements EventChange {
        @Override
        public String eventId() {
            return event.eventId();
        }
    }

    /** @param at when the event was deleted (the tombstone's time), or null if unknown */
    record Deleted(String eventId, Instant at) implements EventChange {
    }
}
