package dev.agenda.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.springframework.boot.mail.autoconfigure.MailProperties;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.NoticeKind;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import net.fortuna.ical4j.data.CalendarBuilder;

/** The emails as receivers, their filters and mail clients read them: headers and encodings on the wire. */
class MessageOnTheWireTest {

    private static final URI LINK = URI.create("https://n.example/subscriptions/unsubscribe?token=T.S");

    private final NotificationProperties properties = new NotificationProperties(URI.create("https://n.example"),
            URI.create("https://site.example"), List.of(), null, Duration.ofDays(7), Duration.ofHours(1),
            new NotificationProperties.Mail("Agenda <agenda@agenda.test>", "unsubscribe@agenda.test", "agenda.test"),
            new NotificationProperties.Smtp(1, 0, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(1),
                    Duration.ofMinutes(1), Duration.ofMinutes(1)), null, null, null, null);
    private final MailComposer composer = new MailComposer(new Templates(), properties, Clock.systemUTC());

    private static EventSnapshot event(String title) {
        Instant starts = Instant.now().plus(Duration.ofDays(3));
        return new EventSnapshot("e1", 4, false, "atelier", title, "Chapeau.", List.of("Atelier"), List.of(), starts,
                starts.plus(Duration.ofHours(2)), "Europe/Paris", new EventSnapshot.Place("Ségur", null, false),
                starts.minus(Duration.ofDays(9)), starts.minus(Duration.ofDays(1)));
    }

    private MimeMessage onTheWire(OutgoingMail mail) throws Exception {
        MailProperties smtp = new MailProperties();
        smtp.setHost("127.0.0.1");
        SmtpSender sender = new SmtpSender(smtp, properties);
        byte[] wire = sender.wire(mail);
        for (String line : new String(wire, StandardCharsets.UTF_8).split("\r\n")) {
            // RFC 5322 §2.1.1: 998 octets at most, in every part (headers, HTML, calendar).
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).as(line).isLessThanOrEqualTo(998);
        }
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(wire));
    }

    @Test
    void noticesNameTheirListAndLanguage() throws Exception {
        MimeMessage notice = onTheWire(composer.notice(NoticeKind.ANNOUNCEMENT, event("Atelier"), null, false,
                "ana@example.org", "d1@agenda.test", LINK, LINK, "T.S"));
        // RFC 2919: a list identifier under a domain the sender controls, the same on every notice.
        assertThat(notice.getHeader("List-Id", null)).isEqualTo("Annonces de l'agenda <annonces.agenda.test>");
        assertThat(notice.getContentLanguage()).containsExactly("fr");
        assertThat(notice.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(notice.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
        assertThat(notice.getMessageID()).isEqualTo("<d1@agenda.test>");
        assertThat(notice.getSentDate()).isNotNull();
    }

    @Test
    void aDisplayNameWithAccentsIsEncodedNotSentAsRawBytes() throws Exception {
        NotificationProperties french = new NotificationProperties(URI.create("https://n.example"),
                URI.create("https://site.example"), List.of(), null, Duration.ofDays(7), Duration.ofHours(1),
                new NotificationProperties.Mail("Agenda du numérique <agenda@agenda.test>", "u@agenda.test",
                        "agenda.test"),
                properties.smtp(), null, null, null, null);
        MailProperties smtp = new MailProperties();
        smtp.setHost("127.0.0.1");
        byte[] wire = new SmtpSender(smtp, french).wire(composer.confirmation("ana@example.org",
                URI.create("https://n.example/c?token=x"), "c3@agenda.test"));
        String headers = new String(wire, StandardCharsets.ISO_8859_1).split("\r\n\r\n", 2)[0];
        // RFC 5322 §2.2: header fields are US-ASCII (8-bit only with SMTPUTF8, which this sender does not ask for).
        assertThat(headers.chars().filter(c -> c > 127).count()).as(headers).isEqualTo(0L);
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(wire));
        var from = (jakarta.mail.internet.InternetAddress) message.getFrom()[0];
        assertThat(from.getPersonal()).isEqualTo("Agenda du numérique");
        assertThat(from.getAddress()).isEqualTo("agenda@agenda.test");
    }

    @Test
    void theFooterOfTheTextIsASignatureMailClientsRecognise() throws Exception {
        MimeMessage notice = onTheWire(composer.notice(NoticeKind.ANNOUNCEMENT, event("Atelier"), null, false,
                "ana@example.org", "d3@agenda.test", LINK, LINK, "T.S"));
        var alternative = (jakarta.mail.internet.MimeMultipart) ((jakarta.mail.internet.MimeMultipart) notice
                .getContent()).getBodyPart(0).getContent();
        String text = (String) alternative.getBodyPart(0).getContent();
        // "-- " on a line of its own (RFC 3676 §4.3): clients dim the unsubscribe footer and leave it out of replies.
        assertThat(text.replace("\r\n", "\n")).contains("\n-- \nVous recevez ce message");
    }

    @Test
    void theEmailsAnsweringTheFormAreMarkedAsSentByAProgram() throws Exception {
        // Without Auto-Submitted, a vacation robot at an address typed into the form replies to the agenda.
        for (OutgoingMail mail : List.of(
                composer.confirmation("ana@example.org", URI.create("https://n.example/c?token=x"), "c1@agenda.test"),
                composer.alreadySubscribed("ana@example.org", URI.create("https://n.example/p?token=x"),
                        "c2@agenda.test"))) {
            MimeMessage message = onTheWire(mail);
            assertThat(message.getHeader("Auto-Submitted", null)).as(mail.subject()).isEqualTo("auto-generated");
            assertThat(message.getContentLanguage()).as(mail.subject()).containsExactly("fr");
            // Laid out for a phone's width, as the notices are, not zoomed out from a desktop page.
            assertThat(mail.html()).contains("<meta name=\"viewport\" content=\"width=device-width\">");
            // Not list traffic: no unsubscribe offer, no list identifier.
            assertThat(message.getHeader("List-Id")).as(mail.subject()).isNull();
            assertThat(message.getHeader("List-Unsubscribe")).as(mail.subject()).isNull();
        }
    }

    @Test
    void aLongSubjectIsCutBetweenCharactersAndTheCalendarKeepsTheWholeTitle() throws Exception {
        // "Nouvel événement : " is 19 characters: the emoji straddles the subject's 200-character cut.
        String title = "a".repeat(179) + "🎉" + " suite du titre".repeat(6);
        assertThat(title.length()).isLessThanOrEqualTo(300);
        MimeMessage notice = onTheWire(composer.notice(NoticeKind.ANNOUNCEMENT, event(title), null, false,
                "ana@example.org", "d2@agenda.test", LINK, LINK, "T.S"));

        String subject = notice.getSubject();
        assertThat(subject).startsWith("Nouvel événement : " + "a".repeat(179)).endsWith("…").doesNotContain("?");
        assertThat(subject.chars().filter(c -> Character.isSurrogate((char) c)).count()).isEqualTo(0L);

        // The .ics has the UID of the site's, which carries the whole title: the attachment must not rename it.
        OutgoingMail mail = composer.notice(NoticeKind.ANNOUNCEMENT, event(title), null, false, "ana@example.org",
                "d2@agenda.test", LINK, LINK, "T.S");
        String ics = new String(mail.attachments().get(0).content(), StandardCharsets.UTF_8);
        var vevent = new CalendarBuilder().build(new StringReader(ics)).getComponents("VEVENT").get(0);
        assertThat(vevent.getProperty("SUMMARY").orElseThrow().getValue()).isEqualTo(title);
    }

    @Test
    void theCalendarEncodedOnceForAllRecipientsGoesOutAsJakartaMailWouldWriteItForEach() throws Exception {
        // Long lines and accents: the part is quoted-printable, with soft line breaks, as Jakarta Mail chooses.
        EventSnapshot event = event("Atelier « accessibilité » ".repeat(8));
        OutgoingMail ana = composer.notice(NoticeKind.ANNOUNCEMENT, event, null, false, "ana@example.org", "d3@agenda.test",
                LINK, LINK, "T.S");
        OutgoingMail bob = composer.notice(NoticeKind.ANNOUNCEMENT, event, null, false, "bob@example.org", "d4@agenda.test",
                LINK, LINK, "T.S");
        OutgoingMail.Attachment ics = ana.attachments().get(0);

        // The reference: the part built for this one email, as any Jakarta Mail attachment.
        MimeMessage reference = new MimeMessage(Session.getInstance(new Properties()));
        jakarta.mail.internet.MimeBodyPart part = new jakarta.mail.internet.MimeBodyPart();
        part.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(
                ics.content(), ics.contentType())));
        part.setFileName(ics.fileName());
        part.setDisposition(jakarta.mail.Part.ATTACHMENT);
        reference.setContent(new jakarta.mail.internet.MimeMultipart("mixed", part));
        reference.saveChanges();
        java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        reference.writeTo(written);
        jakarta.mail.BodyPart expected = ((jakarta.mail.internet.MimeMultipart) new MimeMessage(
                Session.getInstance(new Properties()), new ByteArrayInputStream(written.toByteArray())).getContent())
                .getBodyPart(0);
        assertThat(((jakarta.mail.internet.MimeBodyPart) expected).getEncoding()).isEqualTo("quoted-printable");

        for (OutgoingMail mail : List.of(ana, bob, ana)) {
            jakarta.mail.BodyPart sent = ((jakarta.mail.internet.MimeMultipart) onTheWire(mail).getContent())
                    .getBodyPart(1);
            for (String header : List.of("Content-Type", "Content-Disposition", "Content-Transfer-Encoding")) {
                assertThat(sent.getHeader(header)).as(header).containsExactly(expected.getHeader(header));
            }
            assertThat(sent.getInputStream().readAllBytes()).isEqualTo(ics.content());
        }
    }
}
