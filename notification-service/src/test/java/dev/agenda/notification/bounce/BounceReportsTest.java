package dev.agenda.notification.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * What the bounce mailbox makes of the messages that come back, on reports as real servers write them (Postfix,
 * Exchange Online, Gmail): only a clear RFC 3464 report of an unknown or disabled mailbox is a hard bounce.
 */
class BounceReportsTest {

    private static final String VERP = "bounces+q5w2zzbkkq3qjx4mamw2gxdd4aaaaaabfhc3m2cxkrw3e7bo@agenda.example";

    @Test
    void postfixUserUnknownIsHard() throws Exception {
        Bounce bounce = BounceMailbox.read(message(postfix("5.1.1",
                "smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
                "failed")));

        assertThat(bounce.kind()).isEqualTo(Bounce.Kind.HARD);
        assertThat(bounce.status()).isEqualTo("5.1.1");
        assertThat(bounce.detail()).contains("User unknown");
    }

    @Test
    void exchangeRecipientNotFoundIsHard() throws Exception {
        String exchange = """
                From: postmaster@outlook.example
                To: %s
                Subject: Undeliverable: Nouvel événement
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status;
                	boundary="_000_exch_"

                --_000_exch_
                Content-Type: text/plain; charset="us-ascii"

                Delivery has failed to these recipients or groups:

                gone@contoso.example
                The email address you entered couldn't be found.

                --_000_exch_
                Content-Type: message/delivery-status

                Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.exchangelabs.com
                Received-From-MTA: dns;mail.agenda.example
                Arrival-Date: Sat, 28 Nov 2026 10:12:01 +0000

                Original-Recipient: rfc822;gone@contoso.example
                Final-Recipient: rfc822;gone@contoso.example
                Action: failed
                Status: 5.1.10
                Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address
                 lookup
                X-Display-Name: gone

                --_000_exch_
                Content-Type: text/rfc822-headers

                Return-Path: <%s>
                From: Agenda <agenda@agenda.example>
                To: gone@contoso.example
                Subject: Nouvel événement

                --_000_exch_--
                """.formatted(VERP, VERP);
        MimeMessage message = message(exchange);

        Bounce bounce = BounceMailbox.read(message);

        assertThat(bounce.kind()).isEqualTo(Bounce.Kind.HARD);
        assertThat(bounce.status()).isEqualTo("5.1.10");
        assertThat(bounce.detail()).contains("RecipientNotFound").contains("address lookup");
        // No Delivered-To here (a forwarded copy): the returned headers' Return-Path still names the subscriber.
        assertThat(BounceMailbox.candidateAddresses(message)).contains(VERP);
    }

    @Test
    void gmailAccountDoesNotExistIsHardAndItsSpamRefusalIsPolicy() throws Exception {
        Bounce gone = BounceMailbox.read(message(gmail("5.1.1", "smtp; 550-5.1.1 The email account that you tried to "
                + "reach does not exist. Please try\n 550-5.1.1 double-checking the recipient's email address for "
                + "typos or\n 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser a1si123456wrb.42 - gsmtp")));
        Bounce spam = BounceMailbox.read(message(gmail("5.7.1", "smtp; 550-5.7.1 [203.0.113.7] Our system has "
                + "detected that this message is\n 550-5.7.1 likely unsolicited mail. To reduce the amount of spam "
                + "sent to Gmail,\n 550 5.7.1 this message has been blocked. - gsmtp")));
        Bounce disabled = BounceMailbox.read(message(gmail("5.2.1", "smtp; 550 5.2.1 The email account that you "
                + "tried to reach is disabled. - gsmtp")));
        Bounce full = BounceMailbox.read(message(gmail("5.2.2", "smtp; 552-5.2.2 The recipient's inbox is out of "
                + "storage space. - gsmtp")));

        assertThat(gone.kind()).isEqualTo(Bounce.Kind.HARD);
        assertThat(spam.kind()).isEqualTo(Bounce.Kind.POLICY);
        assertThat(disabled.kind()).isEqualTo(Bounce.Kind.HARD);
        assertThat(full.kind()).isEqualTo(Bounce.Kind.SOFT);
    }

    @Test
    void aDelayIsSoft() throws Exception {
        assertThat(BounceMailbox.read(message(postfix("4.4.1",
                "X-Postfix; connect to mx.example.org[192.0.2.1]:25: Connection timed out", "delayed"))).kind())
                .isEqualTo(Bounce.Kind.SOFT);
        // Given up after days of 4xx: still nothing said about the address.
        assertThat(BounceMailbox.read(message(postfix("4.4.1",
                "X-Postfix; connect to mx.example.org[192.0.2.1]:25: Connection timed out", "failed"))).kind())
                .isEqualTo(Bounce.Kind.SOFT);
    }

    @Test
    void anAddressStatusOverAPolicyRefusalIsNotHard() throws Exception {
        // A relay that files the remote's spam refusal under 5.1.1: the remote's own words win.
        assertThat(BounceMailbox.read(message(postfix("5.1.1",
                "smtp; 550 5.7.1 Service unavailable; client [203.0.113.7] blocked using zen.spamhaus.org",
                "failed"))).kind()).isEqualTo(Bounce.Kind.POLICY);
        // Too large, a loop: failed, but the address is fine.
        assertThat(BounceMailbox.read(message(postfix("5.3.4", "smtp; 552 5.3.4 Message size exceeds fixed limit",
                "failed"))).kind()).isEqualTo(Bounce.Kind.UNCLEAR);
        // A sender's problem (5.1.8: our domain), not the recipient's.
        assertThat(BounceMailbox.read(message(postfix("5.1.8", "smtp; 553 5.1.8 Sender address rejected: Domain "
                + "not found", "failed"))).kind()).isEqualTo(Bounce.Kind.UNCLEAR);
    }

    @Test
    void anAutoReplyOrAFreeTextBounceIsNotABounce() throws Exception {
        String vacation = """
                From: ana@example.org
                To: %s
                Subject: Absence du bureau
                Auto-Submitted: auto-replied
                Content-Type: text/plain; charset=UTF-8

                Je suis absente jusqu'au 5 décembre. User unknown 5.1.1 (ceci n'est pas un rapport).
                """.formatted(VERP);
        String qmail = """
                From: MAILER-DAEMON@mx.example.org
                To: %s
                Subject: failure notice
                Content-Type: text/plain

                Hi. This is the qmail-send program at mx.example.org.
                I'm afraid I wasn't able to deliver your message to the following addresses.

                <gone@example.org>:
                Sorry, no mailbox here by that name. (#5.1.1)
                """.formatted(VERP);

        assertThat(BounceMailbox.read(message(vacation)).kind()).isEqualTo(Bounce.Kind.NOT_A_BOUNCE);
        assertThat(BounceMailbox.read(message(qmail)).kind()).isEqualTo(Bounce.Kind.NOT_A_BOUNCE);
        assertThat(BounceMailbox.candidateAddresses(message(vacation))).containsExactly(VERP);
    }

    @Test
    void aReportWhoseRecipientsDisagreeSuppressesNobody() throws Exception {
        // Forwarded to two mailboxes, one gone: the subscriber's address itself still receives.
        String twoRecipients = postfix("5.1.1", "smtp; 550 5.1.1 User unknown", "failed").replace(
                "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n", """
                Diagnostic-Code: smtp; 550 5.1.1 User unknown

                Final-Recipient: rfc822; ana@elsewhere.example
                Action: relayed
                Status: 2.0.0
                """);
        assertThat(twoRecipients).contains("ana@elsewhere.example");

        assertThat(BounceMailbox.read(message(twoRecipients)).kind()).isEqualTo(Bounce.Kind.NOT_A_BOUNCE);
    }

    @Test
    void theDeliveredToOfTheMailboxComesFirst() throws Exception {
        MimeMessage message = message("Delivered-To: " + VERP + "\nX-Original-To: " + VERP + "\n"
                + postfix("5.1.1", "smtp; 550 5.1.1 User unknown", "failed").replace("To: " + VERP + "\n",
                        "To: \"Agenda\" <other@agenda.example>\n"));

        assertThat(BounceMailbox.candidateAddresses(message)).startsWith(VERP, "other@agenda.example");
    }

    // ---- samples ----

    /** Postfix's bounce(8) report, as its templates write it. */
    private static String postfix(String status, String diagnostic, String action) {
        return """
                Return-Path: <>
                From: MAILER-DAEMON@mail.agenda.example (Mail Delivery System)
                To: %s
                Subject: Undelivered Mail Returned to Sender
                Auto-Submitted: auto-replied
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status;
                	boundary="postfix"

                This is a MIME-encapsulated message.

                --postfix
                Content-Description: Notification
                Content-Type: text/plain; charset=us-ascii

                This is the mail system at host mail.agenda.example.

                I'm sorry to have to inform you that your message could not
                be delivered to one or more recipients.

                --postfix
                Content-Description: Delivery report
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mail.agenda.example
                X-Postfix-Queue-ID: 4ZQ1xY2kLmz9sWd
                X-Postfix-Sender: rfc822; %s
                Arrival-Date: Sat, 28 Nov 2026 10:12:01 +0100 (CET)

                Final-Recipient: rfc822; gone@example.org
                Original-Recipient: rfc822;gone@example.org
                Action: %s
                Status: %s
                Remote-MTA: dns; mx.example.org
                Diagnostic-Code: %s

                --postfix
                Content-Description: Undelivered Message Headers
                Content-Type: text/rfc822-headers

                Return-Path: <%s>
                From: Agenda <agenda@agenda.example>
                To: gone@example.org
                Subject: Nouvel événement

                --postfix--
                """.formatted(VERP, VERP, action, status, diagnostic, VERP);
    }

    /** Gmail's report: a text part in its words, the delivery-status, the returned message. */
    private static String gmail(String status, String diagnostic) {
        return """
                From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
                To: %s
                Subject: Delivery Status Notification (Failure)
                MIME-Version: 1.0
                Content-Type: multipart/report; boundary="000000000000gmail"; report-type=delivery-status

                --000000000000gmail
                Content-Type: multipart/related; boundary="000000000000related"

                --000000000000related
                Content-Type: text/plain; charset="UTF-8"

                ** Address not found **

                Your message wasn't delivered to gone@gmail.example because the address couldn't be found, or is
                unable to receive mail.

                --000000000000related--
                --000000000000gmail
                Content-Type: message/delivery-status

                Reporting-MTA: dns; googlemail.com
                Received-From-MTA: dns; mail.agenda.example
                Arrival-Date: Sat, 28 Nov 2026 01:12:01 -0800 (PST)
                X-Original-Message-ID: <abc@agenda.example>

                Final-Recipient: rfc822; gone@gmail.example
                Action: failed
                Status: %s
                Remote-MTA: dns; gmail-smtp-in.l.google.com. (2a00:1450:400c:c0b::1b, the server for the domain
                 gmail.example.)
                Diagnostic-Code: %s
                Last-Attempt-Date: Sat, 28 Nov 2026 01:12:02 -0800 (PST)

                --000000000000gmail
                Content-Type: message/rfc822

                Return-Path: <%s>
                From: Agenda <agenda@agenda.example>
                To: gone@gmail.example
                Subject: Nouvel événement
                Content-Type: text/plain; charset=UTF-8

                Bonjour
                --000000000000gmail--
                """.formatted(VERP, status, diagnostic, VERP);
    }

    private static MimeMessage message(String text) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
    }
}
