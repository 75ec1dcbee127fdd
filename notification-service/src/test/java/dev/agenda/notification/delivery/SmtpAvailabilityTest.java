package dev.agenda.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class SmtpAvailabilityTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(SmtpAvailability.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final SmtpAvailability smtp = new SmtpAvailability();
    private final Instant t0 = Instant.parse("2030-05-01T10:00:00Z");

    @BeforeEach
    void listen() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(lines);
    }

    @Test
    void anOutageIsLoggedOnceWhenItStartsAndOnceWhenItEnds() {
        smtp.answered(t0);
        smtp.transientFailure("Connection refused", t0.plusSeconds(1));
        smtp.transientFailure("Connection refused", t0.plusSeconds(2));
        smtp.transientFailure("421 try later", t0.plusSeconds(5));
        smtp.answered(t0.plusSeconds(31));
        smtp.answered(t0.plusSeconds(32));

        assertThat(lines.list).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Level.WARN,
                        "SMTP server not accepting mail (Connection refused): deliveries wait and are retried with backoff"),
                org.assertj.core.groups.Tuple.tuple(Level.INFO,
                        "SMTP server accepting mail again, after 30 s of transient failures"));
    }

    @Test
    void aSecondOutageIsLoggedAgain() {
        smtp.transientFailure("Connection refused", t0);
        smtp.answered(t0.plusSeconds(10));
        smtp.transientFailure("Connection reset", t0.plusSeconds(60));

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).last().asString()
                .startsWith("SMTP server not accepting mail (Connection reset)");
        assertThat(lines.list).hasSize(3);
    }
}
