package dev.agenda.publishing.event;

import java.util.List;
import java.util.Map;

/** The read model: what was applied for every eventId. */
public interface EventStore {

    List<AppliedEvent> findAll();

    void save(AppliedEvent applied);

    /**
     * Brings the read model from what it holds ({@code stored}, by eventId) to {@code fresh}, after a rebuild from
     * the log: writes only the events that differ and removes those the log no longer has. A rebuild usually finds
     * what the store already holds, so it usually writes nothing.
     */
    void reconcile(Map<String, AppliedEvent> stored, Map<String, AppliedEvent> fresh);
}
