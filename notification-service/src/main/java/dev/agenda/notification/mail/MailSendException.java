package dev.agenda.notification.mail;

/**
 * Sending failed; {@link #isPermanent()} tells whether trying again could help (4xx, network) or not (5xx);
 * {@link #abandonedAtCommit()} that the commit point failed, so the message was dropped before its end of data.
 */
public class MailSendException extends Exception {

    private final boolean permanent;
    private final boolean abandonedAtCommit;

    public MailSendException(String message, boolean permanent, Throwable cause) {
        this(message, permanent, false, cause);
    }

    private MailSendException(String message, boolean permanent, boolean abandonedAtCommit, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
        this.abandonedAtCommit = abandonedAtCommit;
    }

    static MailSendException abandoned(String message, Throwable cause) {
        return new MailSendException(message, false, true, cause);
    }

    public boolean isPermanent() {
        return permanent;
    }

    public boolean abandonedAtCommit() {
        return abandonedAtCommit;
    }
}
