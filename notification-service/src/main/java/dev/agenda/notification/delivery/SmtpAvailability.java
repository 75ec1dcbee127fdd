package dev.agenda.notification.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator that the SMTP server stopped accepting mail, once, and that it accepts mail again, once. During
 * an outage every delivery is retried with backoff for minutes before any of them is marked FAILED, and a log line per
 * attempt would bury everything else: without these two lines, the only sign of it was a counter.
 */
final class SmtpAvailability {

    private static final Logger log = LoggerFactory.getLogger(SmtpAvailability.class);

    private final AtomicReference<Instant> failingSince = new AtomicReference<>();

    /** A transient failure (connection refused or lost, 4xx): the deliveries concerned will be tried again. */
    void transientFailure(String error, Instant now) {
        if (failingSince.compareAndSet(null, now)) {
            log.warn("SMTP server not accepting mail ({}): deliveries wait and are retried with backoff", error);
        }
    }

    /** The server answered an email (accepted, or refused it for good): whatever outage there was is over. */
    void answered(Instant now) {
        Instant since = failingSince.getAndSet(null);
        if (since != null) {
            log.info("SMTP server accepting mail again, after {} s of transient failures",
                    Duration.between(since, now).toSeconds());
        }
    }
}
