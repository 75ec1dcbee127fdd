package dev.agenda.notification.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.infra.LocalSmtpSink;
import dev.agenda.infra.Ports;
import dev.agenda.notification.IntegrationTestBase;
import dev.agenda.notification.subscription.LinkTokens;
import dev.agenda.notification.subscription.Subscriber;
import dev.agenda.notification.subscription.SubscriberStatus;
import dev.agenda.notification.subscription.SubscriberStore;
import dev.agenda.notification.subscription.SubscriptionLinks;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;

/**
 * The mailto half of List-Unsubscribe, end to end: a mail sent over SMTP to the address of the notices' mailto lands
 * in the sink's IMAP mailbox, which the service reads.
 */
class MailtoUnsubscribeTest extends IntegrationTestBase {

    private static final String MAILBOX = LocalSmtpSink.UNSUBSCRIBE_ADDRESS;

    @Autowired
    private SubscriberStore subscribers;

    @Autowired
    private SubscriptionLinks links;

    @Autowired
    private LinkTokens tokens;

    @Autowired
    private MeterRegistry meters;

    @Test
    void aMailToTheMailtoOfANoticeUnsubscribesItsRecipient() throws Exception {
        String email = unique("mailto") + "@example.org";
        announcedTo(email, "Atelier du désabonnement");
        Map<String, Object> notice = messagesTo(email).get(1);
        Matcher mailto = Pattern.compile("<mailto:([^?>]+)\\?subject=([^>]+)>")
                .matcher(header(notice, "List-Unsubscribe").replaceAll("\\r?\\n\\s+", " "));
        assertThat(mailto.find()).isTrue();
        assertThat(mailto.group(1)).isEqualTo(MAILBOX);
        String subject = URLDecoder.decode(mailto.group(2), StandardCharsets.UTF_8);
        double before = count("unsubscribed");

        // What a mail client does with the mailto: a mail from the subscriber, with the subject it offers.
        send(message(email, subject, null));

        awaitHandled(subject);
        assertThat(status(email)).isEqualTo(SubscriberStatus.UNSUBSCRIBED);
        assertThat(count("unsubscribed")).isGreaterThanOrEqualTo(before + 1);
    }

    @Test
    void withoutAValidTokenAMessageIsDeletedAndUnsubscribesNobody() throws Exception {
        String email = confirmed("kept");
        String token = manageToken(email);
        String id = subscribers.findByEmail(email).orElseThrow().id();
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        // Signed, but for confirming, not managing: a token is good for its own purpose only.
        String otherPurpose = tokens.issue(LinkTokens.Purpose.CONFIRM, id, Instant.now().plusSeconds(3600));
        String marker = unique("garbage");
        List<String> subjects = List.of("unsubscribe " + tampered, "unsubscribe " + otherPurpose,
                // The From is the subscriber's, but the From proves nothing: without a token, nobody is unsubscribed.
                "unsubscribe me please " + marker, "Re: " + marker);
        double before = count("invalid");

        for (String subject : subjects) {
            send(message(email, subject, "unsubscribe"));
        }

        // Counted: they were read (not merely not yet delivered); gone: deleted.
        await().atMost(Duration.ofSeconds(30)).until(() -> count("invalid") >= before + subjects.size());
        for (String subject : subjects) {
            awaitHandled(subject);
        }
        assertThat(status(email)).isEqualTo(SubscriberStatus.CONFIRMED);
    }

    @Test
    void anEncodedSubjectOrATokenInTheBodyIsUnderstood() throws Exception {
        String encoded = confirmed("encoded");
        String inBody = confirmed("body");
        String encodedToken = manageToken(encoded);
        String bodyToken = manageToken(inBody);

        // "Re: UNSUBSCRIBE <token>", base64-encoded as RFC 2047 allows (a client's choice once the subject has an é).
        MimeMessage reply = message(encoded, "ignored", null);
        reply.setHeader("Subject", MimeUtility.fold(9, MimeUtility.encodeText("Ré :  UNSUBSCRIBE   " + encodedToken
                + "  ", "UTF-8", "B")));
        send(reply);
        // No subject (some clients drop it); the request typed at the top of a text + HTML body.
        MimeMessage noSubject = new MimeMessage(session());
        noSubject.setFrom(new InternetAddress(inBody));
        noSubject.setRecipient(Message.RecipientType.TO, new InternetAddress(MAILBOX));
        MimeBodyPart text = new MimeBodyPart();
        text.setText("\nunsubscribe " + bodyToken + "\n\n-- \nEnvoyé de mon téléphone\n", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>unsubscribe " + bodyToken + "</p>", "text/html; charset=UTF-8");
        noSubject.setContent(new MimeMultipart("alternative", text, html));
        send(noSubject);

        await().atMost(Duration.ofSeconds(30)).until(() -> status(encoded) == SubscriberStatus.UNSUBSCRIBED
                && status(inBody) == SubscriberStatus.UNSUBSCRIBED);
        awaitHandled(encodedToken);
        awaitHandled(bodyToken);
    }

    @Test
    void theSameRequestDeliveredTwiceUnsubscribesOnceAndFailsNothing() throws Exception {
        String email = confirmed("twice");
        String subject = "unsubscribe " + manageToken(email);
        MimeMessage request = message(email, subject, null);
        double before = count("unsubscribed");

        send(request);
        awaitHandled(subject);
        Subscriber unsubscribed = subscribers.findByEmail(email).orElseThrow();
        assertThat(unsubscribed.status()).isEqualTo(SubscriberStatus.UNSUBSCRIBED);

        // The same message (same Message-ID) again: what a poll that ended before its deletion leaves behind.
        send(request);
        // Read as a valid request (not left in the mailbox by an error), and deleted.
        await().atMost(Duration.ofSeconds(30)).until(() -> count("unsubscribed") >= before + 2);
        awaitHandled(subject);
        Subscriber after = subscribers.findByEmail(email).orElseThrow();
        assertThat(after.status()).isEqualTo(SubscriberStatus.UNSUBSCRIBED);
        assertThat(after.unsubscribedAt()).isEqualTo(unsubscribed.unsubscribedAt());
    }

    /** A request replayed from an earlier subscription of the address: read, counted invalid, nobody unsubscribed. */
    @Test
    void aRequestCarryingALinkOfAnEarlierSubscriptionUnsubscribesNobody() throws Exception {
        String email = confirmed("resubscribed");
        String category = subscribers.findByEmail(email).orElseThrow().preferences().categories().iterator().next();
        String oldSubject = "unsubscribe " + manageToken(email);
        send(message(email, oldSubject, null));
        awaitHandled(oldSubject);
        assertThat(status(email)).isEqualTo(SubscriberStatus.UNSUBSCRIBED);
        subscribeAgainAndConfirm(email, List.of(category));
        double invalidBefore = count("invalid");

        // The very same request again (its own Message-ID kept by the mail server, say): now of no effect.
        send(message(email, oldSubject, null));

        await().atMost(Duration.ofSeconds(30)).until(() -> count("invalid") >= invalidBefore + 1);
        awaitHandled(oldSubject);
        assertThat(status(email)).isEqualTo(SubscriberStatus.CONFIRMED);
        String newSubject = "unsubscribe " + manageToken(email);
        assertThat(newSubject).isNotEqualTo(oldSubject);
        send(message(email, newSubject, null));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(email) == SubscriberStatus.UNSUBSCRIBED);
    }

    // ---- helpers ----

    private String confirmed(String name) throws Exception {
        String email = unique(name) + "@example.org";
        subscribeAndConfirm(email, List.of(unique("cat")), List.of());
        return email;
    }

    private String manageToken(String email) {
        return links.manageToken(subscribers.findByEmail(email).orElseThrow());
    }

    private SubscriberStatus status(String email) {
        return subscribers.findByEmail(email).orElseThrow().status();
    }

    private double count(String outcome) {
        return meters.counter("agenda.unsubscribe.mailbox", "outcome", outcome).count();
    }

    /** Until no message mentioning {@code text} is left in the unsubscribe mailbox (read and deleted). */
    private static void awaitHandled(String text) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<Map<String, Object>> left = messagesTo(MAILBOX);
            return left.stream().noneMatch(m -> String.valueOf(m.get("subject")).contains(text)
                    || String.valueOf(m.get("text")).contains(text));
        });
    }

    private static MimeMessage message(String from, String subject, String body) throws Exception {
        MimeMessage message = new MimeMessage(session());
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(MAILBOX));
        message.setSubject(subject, "UTF-8");
        message.setText(body == null ? "" : body, "UTF-8");
        return message;
    }

    /** Sent as it is: Transport.send would give a message sent twice a new Message-ID each time. */
    private static void send(MimeMessage message) throws Exception {
        if (message.getMessageID() == null) {
            message.saveChanges();
        }
        try (Transport transport = message.getSession().getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    private static Session session() {
        Properties props = new Properties();
        props.put("mail.smtp.host", Ports.HOST);
        props.put("mail.smtp.port", Integer.toString(infra().smtp().smtpPort()));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "5000");
        return Session.getInstance(props);
    }
}
