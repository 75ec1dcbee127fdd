package dev.agenda.notification.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.TestClock;
import dev.agenda.notification.mail.OutgoingMail;
import dev.agenda.notification.mail.SmtpSender;

/**
 * The form sent twice in a row (a double click): two confirmation emails, and the one that arrives last holds the
 * link that works. The two mailer threads used to process both requests at once, and the emails left in whatever
 * order the SMTP exchanges ended: about one time in thirty, the newest email in the inbox held the link the other
 * had replaced (NotificationFlowTest failed on it). Here the request that writes first is slow, deterministically.
 */
class FormSentTwiceTest extends OwnSubscriptionServiceTestBase {

    /**
     * Each reading a millisecond after the one before, as for two requests a few milliseconds apart: the two calls
     * here come within the same millisecond, and two requests that read the same instant get links with the same
     * expiry, both valid.
     */
    private static Clock ticking() {
        AtomicLong millis = new AtomicLong(Instant.now().toEpochMilli());
        return new TestClock(() -> Instant.ofEpochMilli(millis.incrementAndGet()));
    }

    @Test
    void theEmailThatArrivesLastHoldsTheLinkThatWorks() throws Exception {
        List<OutgoingMail> arrived = new CopyOnWriteArrayList<>();
        CountDownLatch oneArrived = new CountDownLatch(1);
        SmtpSender recording = mock(SmtpSender.class);
        doAnswer(call -> {
            arrived.add(call.getArgument(0));
            oneArrived.countDown();
            return null;
        }).when(recording).send(any());
        // The request that writes the record first is slow to go on to its email: long enough for the other request's
        // email to overtake it, if the other request is being processed meanwhile.
        AtomicBoolean firstWrite = new AtomicBoolean(true);
        SubscriberStore slowFirstWrite = spy(store);
        doAnswer(call -> {
            call.callRealMethod();
            if (firstWrite.getAndSet(false)) {
                oneArrived.await(2, TimeUnit.SECONDS);
            }
            return null;
        }).when(slowFirstWrite).insert(any());
        SubscriptionService service = serviceWith(slowFirstWrite, recording, properties, ticking());
        try {
            String email = unique("double") + "@example.org";
            List<String> category = List.of(unique("cat"));
            service.accept(email, category, List.of());
            service.accept(email.toUpperCase(), category, List.of());

            await().atMost(Duration.ofSeconds(30)).until(() -> arrived.size() == 2);
            String older = tokenOf(firstLink(arrived.get(0).text(), "/subscriptions/confirm"));
            String newest = tokenOf(firstLink(arrived.get(1).text(), "/subscriptions/confirm"));
            assertThat(service.confirmLink(newest)).as("the link of the email on top of the inbox")
                    .isEqualTo(SubscriptionService.ConfirmLink.TO_CONFIRM);
            assertThat(service.confirmLink(older)).as("the link it replaced")
                    .isEqualTo(SubscriptionService.ConfirmLink.INVALID);
            assertThat(service.confirm(newest)).isEqualTo(SubscriptionService.ConfirmOutcome.CONFIRMED);
            assertThat(service.confirmLink(newest)).as("the link followed again")
                    .isEqualTo(SubscriptionService.ConfirmLink.ALREADY_CONFIRMED);
        } finally {
            service.stop();
        }
    }
}
