package dev.agenda.notification.mail;

import java.util.regex.Pattern;

/**
 * Sending failed; {@link #isPermanent()} tells whether trying again could help (4xx, network) or not (5xx);
 * {@link #abandonedAtCommit()} that the commit point failed, so the message was dropped before its end of data;
 * {@link #serverUnavailable()} that the server itself could not be used (no connection, 421), as opposed to a failure
 * of this one message (a greylisted or full mailbox). The message never quotes an email address: it is logged and
 * kept as a delivery's last error, and an address typed into the public form is no one's to read there.
 */
public class MailSendException extends Exception {

    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>\"'(),;:@]++@[^\\s<>\"'(),;:@]++");

    private final boolean permanent;
    private final boolean abandonedAtCommit;
    private final boolean serverUnavailable;
    private final String recipientStatus;

    public MailSendException(String message, boolean permanent, Throwable cause) {
        this(message, permanent, false, false, null, cause);
    }

    private MailSendException(String message, boolean permanent, boolean abandonedAtCommit, boolean serverUnavailable,
            String recipientStatus, Throwable cause) {
        super(withoutAddresses(message), cause);
        this.permanent = permanent;
        this.abandonedAtCommit = abandonedAtCommit;
        this.serverUnavailable = serverUnavailable;
        this.recipientStatus = recipientStatus;
    }

    /**
     * The server refused the recipient (RCPT) or this message to them (end of data) with an enhanced status code
     * (RFC 3463) in its reply: what a bounce report would have said later.
     */
    static MailSendException refused(String message, boolean permanent, String recipientStatus, Throwable cause) {
        return new MailSendException(message, permanent, false, false, recipientStatus, cause);
    }

    static MailSendException abandoned(String message, Throwable cause) {
        return new MailSendException(message, false, true, false, null, cause);
    }

    /** The server could not be reached, or closed the session (421): every message waits, not only this one. */
    static MailSendException serverUnavailable(String message, Throwable cause) {
        return new MailSendException(message, false, false, true, null, cause);
    }

    /** The text of a failure without the addresses it quotes (a server's reply often repeats the recipient). */
    public static String withoutAddresses(String text) {
        return text == null ? null : ADDRESS.matcher(text).replaceAll("<address>");
    }

    public boolean isPermanent() {
        return permanent;
    }

    public boolean abandonedAtCommit() {
        return abandonedAtCommit;
    }

    /**
     * The enhanced status code ("5.1.1") of the server's refusal of the recipient or of the message to them; null for
     * any other failure (the sender refused at MAIL FROM, a connection lost, a reply without such a code).
     */
    public String recipientStatus() {
        return recipientStatus;
    }

    public boolean serverUnavailable() {
        return serverUnavailable;
    }
}
