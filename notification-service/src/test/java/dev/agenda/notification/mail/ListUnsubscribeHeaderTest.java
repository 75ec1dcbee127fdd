package dev.agenda.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.NotificationProperties.Mailbox.Protocol;
import dev.agenda.notification.NotificationProperties.Mailbox.Starttls;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.NoticeKind;

/** The mailto of List-Unsubscribe is offered only when somebody reads what is sent to it. */
class ListUnsubscribeHeaderTest {

    private static final URI UNSUBSCRIBE = URI.create("https://n.example/subscriptions/unsubscribe?token=T.S");
    private static final URI PREFERENCES = URI.create("https://n.example/subscriptions/preferences?token=T.S");

    @Test
    void theMailtoIsOfferedWhenTheServiceReadsItsMailbox() {
        String header = header(true);
        assertThat(header).isEqualTo("<" + UNSUBSCRIBE + ">, <mailto:unsubscribe@agenda.test?subject=unsubscribe%20T.S>");
    }

    @Test
    void withoutTheReaderOnlyTheOneClickLinkIsOffered() {
        assertThat(header(false)).isEqualTo("<" + UNSUBSCRIBE + ">");
    }

    private static String header(boolean readerEnabled) {
        NotificationProperties properties = new NotificationProperties(URI.create("https://n.example"),
                URI.create("https://site.example"), List.of(), null, Duration.ofDays(7), Duration.ofHours(1),
                new NotificationProperties.Mail("Agenda <agenda@agenda.test>", "unsubscribe@agenda.test", "agenda.test"),
                null, null, null, new NotificationProperties.Mailbox(readerEnabled, Protocol.IMAPS,
                        "imap.agenda.test", 993, "unsubscribe@agenda.test", "secret", "INBOX", Duration.ofSeconds(15),
                        100, Duration.ofSeconds(10), Starttls.WHEN_OFFERED), null);
        MailComposer composer = new MailComposer(new Templates(), properties, Clock.systemUTC());
        Instant starts = Instant.now().plus(Duration.ofDays(3));
        EventSnapshot event = new EventSnapshot("e1", 1, false, "atelier", "Atelier", null, List.of("Atelier"),
                List.of(), starts, starts.plus(Duration.ofHours(2)), "Europe/Paris",
                new EventSnapshot.Place("Ségur", null, false), starts.minus(Duration.ofDays(9)), starts);
        OutgoingMail mail = composer.notice(NoticeKind.ANNOUNCEMENT, event, null, false, "ana@example.org", "1@agenda.test",
                PREFERENCES, UNSUBSCRIBE, "T.S");
        // One-click stays either way: RFC 8058 needs the https link and this header, not the mailto.
        assertThat(mail.headers()).containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return mail.headers().get("List-Unsubscribe");
    }
}
