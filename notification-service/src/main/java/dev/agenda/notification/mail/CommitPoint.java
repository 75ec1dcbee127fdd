package dev.agenda.notification.mail;

/**
 * Called by {@link SmtpSender} once the whole message (headers, body, attachments) has been written to the SMTP
 * server and flushed, but before the end-of-data mark ("CRLF.CRLF") that makes the server take responsibility for
 * it. An SMTP server must discard a DATA that the connection lost before that mark (RFC 5321 §4.1.1.4), so this is
 * the one place where "sent" can be recorded without either losing or duplicating the email on a crash.
 */
@FunctionalInterface
public interface CommitPoint {

    /**
     * Records that the message is being committed; must return only once that record is durable.
     *
     * @throws Exception if it could not be recorded (or someone else owns the message now): the sender then drops
     *                   the connection without the end-of-data mark, and the server discards the message
     */
    void reached() throws Exception;
}
