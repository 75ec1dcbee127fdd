package dev.agenda.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

class SmtpSinkMainTest {

    private static MimeMessage message(String headers) throws Exception {
        String text = headers + "From: a@example.org\r\nTo: b@example.org\r\nSubject: Test\r\n\r\nCorps\r\n";
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The inbox used to answer the time of the request: three reads of one message, three different times. */
    @Test
    void aMessageIsDatedByItsArrivalWhenTheInboxIsRead() throws Exception {
        MimeMessage received = message("Received: from 127.0.0.1 (HELO host); Sun, 29 Nov 2026 19:01:04 +0000 (UTC)\r\n"
                + "Received: from elsewhere by relay;\r\n Sun, 29 Nov 2026 19:00:58 +0000\r\n"
                + "Date: Sun, 29 Nov 2026 20:00:57 +0100\r\n");
        assertThat(SmtpSinkMain.describe(received)).containsEntry("receivedAt", "2026-11-29T19:01:04Z");
        assertThat(SmtpSinkMain.describe(received)).containsEntry("receivedAt", "2026-11-29T19:01:04Z");

        MimeMessage dated = message("Date: Sun, 29 Nov 2026 20:00:57 +0100\r\n");
        assertThat(SmtpSinkMain.describe(dated)).containsEntry("receivedAt", "2026-11-29T19:00:57Z");
    }
}
