package dev.agenda.publishing.event;

import java.util.Collection;
import java.util.List;

/** The read model: what was applied for every eventId. */
public interface EventStore {

    List<AppliedEvent> findAll();

    void save(AppliedEvent applied);

    /** Replaces the whole read model, after a rebuild from the log. */
    void replaceAll(Collection<AppliedEvent> applied);
}
