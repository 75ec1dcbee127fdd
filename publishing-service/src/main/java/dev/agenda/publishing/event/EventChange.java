package dev.agenda.publishing.event;

/** One record of the events log: a new public state, or the removal of the event. */
public sealed interface EventChange {

    String eventId();

    record Published(SiteEvent event) implements EventChange {
        @Override
        public String eventId() {
            return event.eventId();
        }
    }

    record Deleted(String eventId) implements EventChange {
    }
}
