package dev.agenda.events.domain;

/** Lifecycle of an event. Only PUBLISHED and CANCELLED events are public (and published on Kafka). */
public enum EventStatus {
    DRAFT, PUBLISHED, CANCELLED;

    public boolean isPublic() {
        return this != DRAFT;
    }
}
