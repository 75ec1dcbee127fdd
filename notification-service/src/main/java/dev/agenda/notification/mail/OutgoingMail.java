package dev.agenda.notification.mail;

import java.util.List;
import java.util.Map;

/**
 * An email ready to send, independent of any mail API.
 *
 * @param messageId stable Message-ID (without angle brackets) so a receiver can collapse a duplicate
 * @param headers   extra headers (List-Unsubscribe...); values are built by this service, never from event text
 * @param shared    for a notice, how {@code text} and {@code html} were filled in from bodies shared by all its
 *                  recipients, so that the sender reuses their encoding; null otherwise
 * @param envelopeFrom the SMTP envelope sender (MAIL FROM, where bounces go): the recipient's VERP address; null for
 *                  the From address
 */
public record OutgoingMail(String to, String subject, String text, String html, List<Attachment> attachments,
        Map<String, String> headers, String messageId, Shared shared, String envelopeFrom) {

    public OutgoingMail(String to, String subject, String text, String html, List<Attachment> attachments,
            Map<String, String> headers, String messageId) {
        this(to, subject, text, html, attachments, headers, messageId, null, null);
    }

    OutgoingMail(String to, String subject, String text, String html, List<Attachment> attachments,
            Map<String, String> headers, String messageId, Shared shared) {
        this(to, subject, text, html, attachments, headers, messageId, shared, null);
    }

    /** The same email, its bounces sent to {@code address} (null: to the From address). */
    public OutgoingMail withEnvelopeFrom(String address) {
        return new OutgoingMail(to, subject, text, html, attachments, headers, messageId, shared, address);
    }

    public record Attachment(String fileName, String contentType, byte[] content) {
    }

    /** The shared text and HTML bodies, and this recipient's values for their gaps. */
    record Shared(SharedBody text, Map<String, String> textValues, SharedBody html, Map<String, String> htmlValues) {
    }
}
