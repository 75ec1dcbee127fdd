package dev.agenda.publishing.site;

import java.util.function.Consumer;

import dev.agenda.publishing.event.EventChange;

/** The events log, read from its beginning by a consumer of its own (for rebuilds). */
public interface EventLog {

    Replay replay();

    interface Replay extends AutoCloseable {

        /** Delivers every record up to the end of the log as it is now; can be called again to catch up. */
        void readToEnd(Consumer<EventChange> sink);

        @Override
        void close();
    }
}
