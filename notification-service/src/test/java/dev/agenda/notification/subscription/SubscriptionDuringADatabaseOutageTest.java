package dev.agenda.notification.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.TestClock;
import dev.agenda.notification.mail.MailComposer;
import dev.agenda.notification.mail.OutgoingMail;
import dev.agenda.notification.mail.SmtpSender;

/**
 * The answer to a subscription request comes before it is processed; if MongoDB is unreachable then, the request
 * waits for it (with the deliveries' backoff) instead of being dropped with a log line.
 */
class SubscriptionDuringADatabaseOutageTest {

    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private final SubscriberStore store = mock(SubscriberStore.class);
    private final MailComposer composer = mock(MailComposer.class);
    private final SmtpSender sender = mock(SmtpSender.class);
    private SubscriptionService service;

    private SubscriptionService service(Duration giveUpAfter) {
        return service(giveUpAfter, Clock.systemUTC());
    }

    private SubscriptionService service(Duration giveUpAfter, Clock clock) {
        NotificationProperties properties = new NotificationProperties(URI.create("https://n.example"),
                URI.create("https://site.example"), List.of(), null, Duration.ofDays(7), Duration.ofHours(1),
                new NotificationProperties.Mail("Agenda <agenda@agenda.test>", "u@agenda.test", "agenda.test"),
                new NotificationProperties.Smtp(1, 0, Duration.ofMillis(50), Duration.ofMillis(200), giveUpAfter,
                        Duration.ofSeconds(60), Duration.ofMinutes(1)),
                null, null, null, null);
        LinkTokens tokens = new LinkTokens("a-key-of-at-least-thirty-two-characters!");
        scheduler.initialize();
        service = new SubscriptionService(store, tokens, new SubscriptionLinks(tokens, properties),
                new ReturnPaths(tokens, properties), composer, sender,
                properties, clock, scheduler);
        return service;
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
        }
        scheduler.shutdown();
    }

    @Test
    void aRequestMadeWhileTheDatabaseIsDownIsProcessedWhenItIsBack() throws Exception {
        OutgoingMail confirmation = mock(OutgoingMail.class);
        when(composer.confirmation(any(), any(), any())).thenReturn(confirmation);
        DataAccessResourceFailureException down = new DataAccessResourceFailureException("Timed out connecting");
        when(store.findByEmail("ana@example.org")).thenThrow(down, down, down, down).thenReturn(Optional.empty());

        service(Duration.ofMinutes(4)).accept("ana@example.org", List.of(), List.of());

        verify(store, timeout(5_000)).insert(any());
        verify(sender, timeout(5_000)).send(confirmation);
        verify(store, atLeast(5)).findByEmail("ana@example.org");
    }

    @Test
    void aRequestIsGivenUpOnceTheOutageOutlastsTheDeliveriesPatience() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        when(store.findByEmail("ana@example.org")).thenAnswer(call -> {
            tries.incrementAndGet();
            throw new DataAccessResourceFailureException("Timed out connecting");
        });

        service(Duration.ofMillis(500)).accept("ana@example.org", List.of(), List.of());

        await().atMost(Duration.ofSeconds(5)).until(() -> tries.get() >= 2);
        // Then the tries stop: no count change for a second, five times the longest wait between two tries.
        AtomicInteger seen = new AtomicInteger(-1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> seen.getAndSet(tries.get()) == tries.get());
        verify(store, never()).insert(any());
        assertThat(org.mockito.Mockito.mockingDetails(sender).getInvocations()).isEmpty();
    }

    @Test
    void theDeliveriesPatienceCountsTheTriesThemselvesNotOnlyTheWaits() throws Exception {
        // Against an unreachable database each try lasts the driver's server selection timeout (30 s in production):
        // counting only the waits, a request held a mailer thread for many times its patience. Here each try moves
        // the service's clock on by 300 ms.
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));
        Clock slowTries = new TestClock(now::get);
        AtomicInteger tries = new AtomicInteger();
        when(store.findByEmail("ana@example.org")).thenAnswer(call -> {
            tries.incrementAndGet();
            now.updateAndGet(t -> t.plusMillis(300));
            throw new DataAccessResourceFailureException("Timed out after 300 ms while waiting for a server");
        });

        service(Duration.ofMillis(500), slowTries).accept("ana@example.org", List.of(), List.of());

        await().atMost(Duration.ofSeconds(5)).until(() -> tries.get() >= 1);
        AtomicInteger seen = new AtomicInteger(-1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(50))
                .until(() -> seen.getAndSet(tries.get()) == tries.get());
        // The first try ends at 300 ms and the second starts after a 50 ms wait; it ends at 600 ms, past the 500 ms
        // deadline. The waits alone (50 + 100 + 200 + 200 ms) allowed five tries.
        assertThat(tries.get()).isEqualTo(2);
    }
}
