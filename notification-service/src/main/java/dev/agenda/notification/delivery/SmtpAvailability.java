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

    /**
     * The server could not be used (connection refused or lost, 421): the deliveries concerned will be tried again.
     * Not a 4xx about one message (greylisting, a full mailbox), which says nothing of the server and, sent by
     * several senders in parallel, made these two lines flap once per such email.
     */
    void transientFailure(String error, Instant now) {
        if (failingSince.compareAndSet(null, now)) {
            log.warn("SMTP server not accepting mail ({}): deliveries wait and are retried with backoff", error);
        }
    }

    /** The server answered an email (accepted, or refused it for good): whatever outage there was is over. */
    void answered(Instant now) {
        if (failingSince.get() == null) {
            return; // the usual case, once per email sent: a read, not a write to shared state
        }
        Instant since = failingSince.getAndSet(null);
        if (since != null) {
            log.info("SMTP server accepting mail again, after {} s of transient failures",
                    Duration.between(since, now).toSeconds());
        }
    }
}
