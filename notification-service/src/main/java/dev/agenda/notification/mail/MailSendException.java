package dev.agenda.notification.mail;

/** Sending failed; {@link #isPermanent()} tells whether trying again could help (4xx, network) or not (5xx). */
public class MailSendException extends Exception {

    private final boolean permanent;

    public MailSendException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean isPermanent() {
        return permanent;
    }
}
