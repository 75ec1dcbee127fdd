package dev.agenda.notification.mail;

import java.util.List;
import java.util.Map;

/**
 * An email ready to send, independent of any mail API.
 *
 * @param messageId stable Message-ID (without angle brackets) so a receiver can collapse a duplicate
 * @param headers   extra headers (List-Unsubscribe...); values are built by this service, never from event text
 */
public record OutgoingMail(String to, String subject, String text, String html, List<Attachment> attachments,
        Map<String, String> headers, String messageId) {

    public record Attachment(String fileName, String contentType, byte[] content) {
    }
}
