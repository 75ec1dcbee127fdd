package dev.agenda.publishing.site;

import java.time.Instant;

/**
 * @param eventsApplied   changes applied since start (skipped duplicates not counted)
 * @param eventsSkipped   stale or duplicate records ignored since start
 * @param eventsLive      events currently on the site
 * @param pagesWritten    files written (created or changed) since start, rebuilds included
 * @param lastChange      the last change applied, or null
 * @param lastRebuild     the last rebuild, or null
 * @param rebuilding      whether a rebuild is running
 * @param siteDirectory   the directory being served
 */
public record SiteStatus(long eventsApplied, long eventsSkipped, int eventsLive, long pagesWritten,
        LastChange lastChange, Rebuild lastRebuild, boolean rebuilding, String siteDirectory) {

    public record LastChange(String eventId, long revision, String kind, Instant appliedAt) {
    }

    /**
     * @param outcome SUCCEEDED or FAILED (with the error in {@code error})
     */
    public record Rebuild(Instant startedAt, Instant finishedAt, String outcome, long recordsReplayed, int events,
            long filesWritten, String directory, String error) {
    }
}
