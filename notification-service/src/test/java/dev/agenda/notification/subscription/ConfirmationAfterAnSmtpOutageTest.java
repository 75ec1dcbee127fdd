package dev.agenda.notification.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.IntegrationTestBase;

/**
 * A subscription asked for while the SMTP server is down gets its confirmation once the server is back, as the
 * announcements do. It used to be tried three times within three seconds, then dropped: the person, told to check
 * their inbox, got nothing.
 */
class ConfirmationAfterAnSmtpOutageTest extends IntegrationTestBase {

    @Test
    void theConfirmationOfARequestMadeDuringAnOutageArrivesOnceTheServerIsBack() throws Exception {
        String email = unique("pendant-la-panne") + "@example.org";
        infra().smtp().stopSmtp();
        try {
            assertThat(subscribe(email, List.of(), List.of()).statusCode()).isEqualTo(202);
            // Longer than the old three tries; nothing can arrive meanwhile.
            await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(15))
                    .until(() -> messagesTo(email).isEmpty());
        } finally {
            infra().smtp().startSmtp();
        }

        Map<String, Object> confirmation = awaitMessages(email, 1).get(0);
        assertThat(firstLink(text(confirmation), "/subscriptions/confirm")).isNotBlank();
        // Exactly one: the tries that failed during the outage sent nothing.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> messagesTo(email).size() == 1);
    }
}
