package dev.agenda.notification.mail;

/**
 * Called by {@link SmtpSender} once the whole message (headers, body, attachments) has been written to the SMTP
 * server and flushed, but before the end-of-data mark ("CRLF.CRLF") that makes the server take responsibility for
 * it. An SMTP server must discard a DATA that the connection lost before that mark (RFC 5321 §4.1.1.4), so this is
 * where "sent" is recorded without either losing or duplicating the email on a crash.
 */
@FunctionalInterface
public interface CommitPoint {

    /**
     * Records that the message is being committed and runs {@code endOfData}, which writes the mark, at the last
     * moment before that record leaves the process (so that a crash cannot fall between the record being durable and
     * the mark being written, only between two writes of one thread).
     * <p>
     * Contract: either throws <em>without</em> having run {@code endOfData} (the sender then drops the connection
     * without the mark, and the server discards the message), or runs it exactly once and returns normally.
     */
    void reached(EndOfData endOfData) throws Exception;

    /** Writes the end-of-data mark; remembers a failure, which the sender reports once the commit point returns. */
    @FunctionalInterface
    interface EndOfData {
        void write();
    }
}
