package dev.agenda.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

import jakarta.mail.Address;
import jakarta.mail.internet.InternetAddress;

/**
 * What a refused recipient leaves in the logs ("confirmation email not sent: …", the SMTP outage warning) and in a
 * delivery's last error: the reply code and words, not the address the server quotes. Anyone can type any address into
 * the public form; it is no one's to read in a log.
 */
class SmtpFailureTextTest {

    /** A reply to the end of the message, as the server wrote it: Angus makes it the exception's message. */
    private static SMTPSendFailedException refusedAtData(int code, String reply) throws Exception {
        InternetAddress to = new InternetAddress("ana.dupont@example.org");
        return new SMTPSendFailedException("DATA", code, reply, null, new Address[0], new Address[0],
                new Address[] {to});
    }

    @Test
    void aPermanentRefusalKeepsItsCodeAndWordsNotTheAddress() throws Exception {
        MailSendException e = SmtpSender.classify(
                refusedAtData(554, "554 5.7.1 <ana.dupont@example.org>: Recipient address rejected: Access denied"));

        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getMessage()).startsWith("554 ").contains("Recipient address rejected: Access denied")
                .doesNotContain("ana.dupont").doesNotContain("example.org");
    }

    @Test
    void aTransientRefusalToo() throws Exception {
        MailSendException e = SmtpSender.classify(
                refusedAtData(451, "451 4.7.1 ana.dupont@example.org: Greylisted, try again later"));

        assertThat(e.isPermanent()).isFalse();
        assertThat(e.getMessage()).startsWith("451 ").contains("Greylisted").doesNotContain("ana.dupont");
        // One greylisted recipient says nothing of the server: no "SMTP server not accepting mail" for it.
        assertThat(e.serverUnavailable()).isFalse();
    }

    @Test
    void theServerClosingTheSessionOrUnreachableIsTheServerUnavailable() throws Exception {
        assertThat(SmtpSender.classify(refusedAtData(421, "421 4.3.2 Service not available, closing channel"))
                .serverUnavailable()).isTrue();
        assertThat(SmtpSender.classify(new jakarta.mail.MessagingException("Could not connect to SMTP host",
                new java.net.ConnectException("Connection refused"))).serverUnavailable()).isTrue();
    }

    @Test
    void noWayOfBuildingTheFailureKeepsAnAddress() {
        // A message that cannot be built quotes the address it could not parse; it is logged and kept too.
        MailSendException e = new MailSendException(
                "cannot build the message: Illegal address in string ``ana dupont@example.org''", true, null);

        assertThat(e.getMessage()).doesNotContain("example.org");
    }

    /**
     * A recipient refused at RCPT: Angus throws "Invalid Addresses" with the server's reply further down. The reply
     * and its enhanced status code are what the delivery keeps and what decides whether the address is suppressed.
     */
    @Test
    void aRefusedRecipientKeepsTheServersReplyAndItsStatus() throws Exception {
        InternetAddress to = new InternetAddress("ana.dupont@example.org");
        var refused = new org.eclipse.angus.mail.smtp.SMTPAddressFailedException(to, "RCPT TO:<ana.dupont@example.org>",
                550, "550 5.1.1 <ana.dupont@example.org>: Recipient address rejected: User unknown");
        MailSendException e = SmtpSender.classify(new jakarta.mail.SendFailedException("Invalid Addresses", refused,
                new Address[0], new Address[0], new Address[] {to}));

        assertThat(e.isPermanent()).isTrue();
        assertThat(e.recipientStatus()).isEqualTo("5.1.1");
        assertThat(e.getMessage()).startsWith("550 5.1.1 ").contains("Recipient address rejected: User unknown")
                .doesNotContain("ana.dupont").doesNotContain("Invalid Addresses");
        // A policy refusal keeps its own code (which does not suppress anyone); a refusal of our envelope sender and
        // a reply without an enhanced code carry none.
        assertThat(SmtpSender.classify(refusedAtData(554, "554 5.7.1 Message rejected as spam")).recipientStatus())
                .isEqualTo("5.7.1");
        assertThat(SmtpSender.classify(new org.eclipse.angus.mail.smtp.SMTPSenderFailedException(
                new InternetAddress("bounces+x@agenda.example"), "MAIL FROM:<bounces+x@agenda.example>", 553,
                "553 5.1.8 Sender address rejected: Domain not found")).recipientStatus()).isNull();
        assertThat(SmtpSender.classify(refusedAtData(550, "550 No such user here")).recipientStatus()).isNull();
    }

    @Test
    void textWithoutAnAddressIsKeptAsItIs() {
        assertThat(MailSendException.withoutAddresses("421 4.3.2 Service not available, closing channel"))
                .isEqualTo("421 4.3.2 Service not available, closing channel");
    }
}
