package dev.agenda.notification.bounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.infra.Ports;
import dev.agenda.notification.IntegrationTestBase;
import dev.agenda.notification.subscription.Subscriber;
import dev.agenda.notification.subscription.SubscriberStatus;
import dev.agenda.notification.subscription.SubscriberStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Bounce handling end to end, against the local infrastructure: a notice leaves with its recipient's VERP envelope
 * sender; the report of its bounce, delivered over SMTP to the bounce mailbox as a mail server with subaddressing
 * does (envelope recipient bounces@, Delivered-To the VERP address), is read from the sink's IMAP; the address is
 * suppressed, and the next announcement reaches the other subscriber only, until the address confirms again.
 */
class BouncedAddressTest extends IntegrationTestBase {

    @Autowired
    private SubscriberStore subscribers;

    @Autowired
    private MeterRegistry meters;

    @Test
    void aHardBounceSuppressesTheAddressUntilItConfirmsAgain() throws Exception {
        String category = unique("cat");
        String gone = unique("gone") + "@example.org";
        String kept = unique("kept") + "@example.org";
        subscribeAndConfirm(gone, List.of(category), List.of());
        subscribeAndConfirm(kept, List.of(category), List.of());
        publish(event(UUID.randomUUID().toString(), "Atelier avant le rebond", List.of(category), List.of()).build());
        String goneVerp = returnPath(awaitMessages(gone, 2).get(1));
        String keptVerp = returnPath(awaitMessages(kept, 2).get(1));
        assertThat(goneVerp).startsWith("bounces+").endsWith("@agenda.localhost").isNotEqualTo(keptVerp);
        // The From header is untouched: what the person sees and replies to.
        assertThat(String.valueOf(messagesTo(gone).get(1).get("from"))).contains("agenda@agenda.localhost")
                .doesNotContain("bounces");

        // A spam refusal of the right address, and a report whose token was tampered with: nobody suppressed.
        double policy = count("policy");
        double invalid = count("invalid");
        String token = keptVerp.substring(keptVerp.indexOf('+') + 1, keptVerp.indexOf('@'));
        String forged = "bounces+" + token.substring(0, 10) + (token.charAt(10) == 'a' ? 'b' : 'a')
                + token.substring(11) + "@agenda.localhost";
        deliverToTheBounceMailbox(report(goneVerp, gone, "5.7.1", "550 5.7.1 Message rejected as spam"));
        deliverToTheBounceMailbox(report(forged, kept, "5.1.1", "550 5.1.1 User unknown"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> count("policy") >= policy + 1 && count("invalid") >= invalid + 1);
        assertThat(status(gone)).isEqualTo(SubscriberStatus.CONFIRMED);
        assertThat(status(kept)).isEqualTo(SubscriberStatus.CONFIRMED);

        deliverToTheBounceMailbox(report(goneVerp, gone, "5.1.1",
                "550 5.1.1 <" + gone + ">: Recipient address rejected: User unknown in virtual mailbox table"));

        await().atMost(Duration.ofSeconds(30)).until(() -> status(gone) == SubscriberStatus.BOUNCED);
        Subscriber suppressed = subscribers.findByEmail(gone).orElseThrow();
        assertThat(suppressed.bounceReason()).startsWith("5.1.1 (bounce report)").contains("User unknown")
                .doesNotContain(gone);
        // What the admin sees: the status and its reason, in the search, the counts and the export.
        assertThat(admin("GET", "/api/admin/subscribers?q=" + gone, null, null).body())
                .contains("\"status\":\"BOUNCED\"").contains("\"bounceReason\":\"5.1.1 (bounce report)");
        assertThat(admin("GET", "/api/admin/subscribers/counts", null, null).body()).contains("\"BOUNCED\":");
        assertThat(admin("GET", "/api/admin/subscribers/export.csv", null, null).body().lines()
                .filter(l -> l.contains(gone)).findFirst()).hasValueSatisfying(l -> assertThat(l)
                        .contains(",BOUNCED,").contains("5.1.1 (bounce report)"));
        // An import (an old list) does not subscribe it again: only a confirmation proves the mailbox works.
        assertThat(admin("POST", "/api/admin/subscribers/import", "text/csv", "email,categories\n" + gone + ","
                + category + "\n").body()).contains("KEPT_BOUNCED");
        assertThat(status(gone)).isEqualTo(SubscriberStatus.BOUNCED);

        String second = UUID.randomUUID().toString();
        publish(event(second, "Atelier après le rebond", List.of(category), List.of()).build());
        awaitMessages(kept, 3);
        awaitAllConsumed();
        assertThat(messagesTo(gone)).hasSize(2);

        // The person subscribes again from the form: double opt-in, and the next announcement reaches them.
        subscribeAgainAndConfirm(gone, List.of(category));
        Subscriber back = subscribers.findByEmail(gone).orElseThrow();
        assertThat(back.status()).isEqualTo(SubscriberStatus.CONFIRMED);
        assertThat(back.bouncedAt()).isNull();
        assertThat(back.bounceReason()).isNull();
        publish(event(UUID.randomUUID().toString(), "Atelier du retour", List.of(category), List.of()).build());
        assertThat(awaitMessages(gone, 4).get(3).get("subject").toString()).contains("Atelier du retour");
        // The bounce of an email of the earlier subscription, arriving late, no longer suppresses anyone.
        double hard = count("hard");
        deliverToTheBounceMailbox(report(goneVerp, gone, "5.1.1", "550 5.1.1 User unknown"));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("hard") >= hard + 1);
        assertThat(status(gone)).isEqualTo(SubscriberStatus.CONFIRMED);
    }

    // ---- helpers ----

    private SubscriberStatus status(String email) {
        return subscribers.findByEmail(email).orElseThrow().status();
    }

    private double count(String outcome) {
        return meters.counter("agenda.bounces", "source", "dsn", "outcome", outcome).count();
    }

    /** The envelope sender the sink received the notice with (GreenMail records it as Return-Path). */
    private static String returnPath(Map<String, Object> mail) {
        String value = header(mail, "Return-Path");
        assertThat(value).as("Return-Path").isNotNull();
        return value.strip().replaceAll("^<|>$", "");
    }

    /** A Postfix report of the bounce of a notice, as it reaches the mailbox of the VERP address. */
    private static String report(String verp, String recipient, String status, String diagnostic) {
        return """
                Delivered-To: %1$s
                Return-Path: <>
                From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
                To: %1$s
                Subject: Undelivered Mail Returned to Sender
                Auto-Submitted: auto-replied
                Message-ID: <%5$s@mx.example.org>
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b-%5$s"

                --b-%5$s
                Content-Type: text/plain; charset=us-ascii

                I'm sorry to have to inform you that your message could not be delivered.

                --b-%5$s
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.org

                Final-Recipient: rfc822; %2$s
                Action: failed
                Status: %3$s
                Diagnostic-Code: smtp; %4$s

                --b-%5$s--
                """.formatted(verp, recipient, status, diagnostic, UUID.randomUUID());
    }

    /** Over SMTP to bounces@ (the envelope recipient a server with subaddressing delivers bounces+…@ to). */
    private static void deliverToTheBounceMailbox(String report) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", Ports.HOST);
        props.put("mail.smtp.port", Integer.toString(infra().smtp().smtpPort()));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "5000");
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session,
                new ByteArrayInputStream(report.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(message, new InternetAddress[] {new InternetAddress(BOUNCE_MAILBOX)});
        }
    }
}
