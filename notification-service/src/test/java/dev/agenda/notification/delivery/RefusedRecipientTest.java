package dev.agenda.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.boot.mail.autoconfigure.MailProperties;

import dev.agenda.infra.Ports;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.notification.mail.SmtpSender;
import dev.agenda.notification.subscription.Subscriber;
import dev.agenda.notification.subscription.SubscriberStatus;

/**
 * A notice refused by the SMTP server itself, at RCPT: "user unknown" (5.1.1) is the hard bounce a report would have
 * brought later, and suppresses the address at once; a policy refusal (5.7.1) does not. Against a scripted SMTP server
 * that answers as a receiving server would, through the real sender (Angus Mail), which also shows what MAIL FROM the
 * notices leave with.
 */
class RefusedRecipientTest extends OwnSenderTestBase {


    @Test
    void userUnknownAtRcptSuppressesTheAddressAPolicyRefusalDoesNot() throws Exception {
        Subscriber gone = subscriber(unique("gone") + "@example.org");
        Subscriber blocked = subscriber(unique("blocked") + "@example.org");
        String eventId = UUID.randomUUID().toString();
        String otherEventId = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        events.apply(event(eventId, "Atelier refusé", now), true, now);
        List<String> commands = new CopyOnWriteArrayList<>();

        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getByName(Ports.HOST))) {
            Thread server = new Thread(() -> serve(listener, commands), "scripted-smtp");
            server.setDaemon(true);
            server.start();
            MailProperties mail = new MailProperties();
            mail.setHost(Ports.HOST);
            mail.setPort(listener.getLocalPort());
            SmtpSender sender = new SmtpSender(mail, properties);
            DeliveryService service = serviceWith(sender, orders -> { });
            try {
                service.deliver(List.of(DeliveryOrder.of(eventId, 1, NoticeKind.ANNOUNCEMENT, gone.id()),
                        DeliveryOrder.of(eventId, 1, NoticeKind.ANNOUNCEMENT, blocked.id())));
                // An order for the suppressed address already on its way (another event's) is not sent.
                events.apply(event(otherEventId, "Atelier refusé", now), true, now);
                service.deliver(List.of(DeliveryOrder.of(otherEventId, 1, NoticeKind.ANNOUNCEMENT, gone.id())));
            } finally {
                service.stop();
            }
        }

        Subscriber suppressed = subscribers.findById(gone.id()).orElseThrow();
        assertThat(suppressed.status()).isEqualTo(SubscriberStatus.BOUNCED);
        assertThat(suppressed.bouncedAt()).isNotNull();
        assertThat(suppressed.bounceReason()).startsWith("5.1.1 (SMTP refusal)").contains("User unknown")
                .doesNotContain(gone.email());
        assertThat(subscribers.findById(blocked.id()).orElseThrow().status()).isEqualTo(SubscriberStatus.CONFIRMED);
        assertThat(store.ofEvent(eventId, DeliveryStatus.FAILED)).hasSize(2);
        assertThat(store.ofEvent(otherEventId, DeliveryStatus.SKIPPED)).singleElement()
                .satisfies(d -> assertThat(d.lastError()).isEqualTo(DeliveryService.ADDRESS_BOUNCED));
        assertThat(commands.stream().filter(c -> c.startsWith("RCPT"))).hasSize(2);
        // Each recipient's own envelope sender: the VERP address of its subscription, not the From address.
        assertThat(commands).contains("MAIL FROM:<" + returnPaths.of(gone) + ">",
                "MAIL FROM:<" + returnPaths.of(blocked) + ">");
        assertThat(returnPaths.of(gone)).startsWith("bounces+").endsWith("@agenda.localhost");
    }

    /** 550 5.1.1 to the "gone-" recipients, 550 5.7.1 to the others, on any number of connections. */
    private static void serve(ServerSocket listener, List<String> commands) {
        while (!listener.isClosed()) {
            try (Socket socket = listener.accept();
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.US_ASCII));
                    PrintStream out = new PrintStream(socket.getOutputStream(), true, StandardCharsets.US_ASCII)) {
                out.print("220 mx.example.org ESMTP\r\n");
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    commands.add(line);
                    String command = line.toUpperCase(Locale.ROOT);
                    if (command.startsWith("EHLO")) {
                        out.print("250-mx.example.org\r\n250 ENHANCEDSTATUSCODES\r\n");
                    } else if (command.startsWith("RCPT")) {
                        out.print(command.contains("<GONE-")
                                ? "550 5.1.1 " + line.substring(line.indexOf('<'))
                                        + ": Recipient address rejected: User unknown in virtual mailbox table\r\n"
                                : "550 5.7.1 Service unavailable; client [192.0.2.7] blocked using a DNSBL\r\n");
                    } else if (command.startsWith("QUIT")) {
                        out.print("221 2.0.0 Bye\r\n");
                        break;
                    } else {
                        out.print("250 2.0.0 Ok\r\n");
                    }
                }
            } catch (java.io.IOException closed) {
                // the listener closed at the end of the test, or the sender hung up
            }
        }
    }
}
