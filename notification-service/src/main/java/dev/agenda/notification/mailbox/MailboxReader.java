package dev.agenda.notification.mailbox;

import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

import dev.agenda.notification.NotificationProperties;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;

/**
 * Reads a mailbox on a thread of its own (a slow or unreachable mail server delays nothing else) and hands each
 * message to a handler, then deletes it: what the unsubscribe mailbox and the bounce mailbox have in common. A poll
 * that fails is retried at the next one, and an outage is logged once, when it starts, and once when it ends. A
 * message handled twice (the service stopped before its deletion reached the server) must do no harm twice: the
 * handlers are idempotent.
 */
public final class MailboxReader {

    /** What is done with one message before it is deleted. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @return whether the message asked for something that was understood (counts in the log line of a poll)
         * @throws MessagingException if the connection was lost: the message stays for the next poll
         * @throws RuntimeException   if what it asks could not be done (the database): the same
         */
        boolean handle(Message message, Folder folder) throws MessagingException;
    }

    private final String name;
    private final NotificationProperties.Mailbox settings;
    private final Logger log;
    private final Handler handler;
    private final Session session;
    private ScheduledExecutorService poller;
    /** Whether the last poll failed: an outage is logged when it starts and when it ends, not at every poll. */
    private volatile boolean failing;

    /**
     * @param name what the logs call the mailbox ("unsubscribe mailbox"), also its thread's name
     * @param log  the owner's logger, so that its lines read as the owner's
     */
    public MailboxReader(String name, NotificationProperties.Mailbox settings, Logger log, Handler handler) {
        this.name = name;
        this.settings = settings;
        this.log = log;
        this.handler = handler;
        this.session = Session.getInstance(sessionProperties(settings));
    }

    public static Properties sessionProperties(NotificationProperties.Mailbox settings) {
        Properties p = new Properties();
        String protocol = settings.protocol().storeName();
        String timeout = Long.toString(settings.timeout().toMillis());
        // Without timeouts, a server that accepts the connection and then says nothing would hold the poller forever.
        p.setProperty("mail." + protocol + ".connectiontimeout", timeout);
        p.setProperty("mail." + protocol + ".timeout", timeout);
        p.setProperty("mail." + protocol + ".writetimeout", timeout);
        boolean tls = settings.protocol().implicitTls();
        if (!tls) {
            // Angus Mail asks for STARTTLS (STLS) after reading the server's capabilities, before logging in; with
            // "required" it gives up if the server does not offer it, rather than send the password in clear.
            var starttls = settings.starttls();
            boolean enable = starttls != NotificationProperties.Mailbox.Starttls.OFF;
            p.setProperty("mail." + protocol + ".starttls.enable", Boolean.toString(enable));
            p.setProperty("mail." + protocol + ".starttls.required",
                    Boolean.toString(starttls == NotificationProperties.Mailbox.Starttls.REQUIRED));
            tls = enable;
        }
        if (tls) {
            // Encryption with a certificate for any name would let any interceptor read the password.
            p.setProperty("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        return p;
    }

    /** Starts polling if the mailbox is enabled; {@code disabledNote} is logged otherwise. */
    public void start(String disabledNote) {
        if (!settings.enabled()) {
            log.info("{} disabled: {}", name, disabledNote);
            return;
        }
        String thread = name.replace(' ', '-');
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true);
            return t;
        });
        long interval = settings.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::pollQuietly, interval, interval, TimeUnit.MILLISECONDS);
        log.info("{} {} read every {}", name, location(), settings.pollInterval());
    }

    public void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** A scheduled task that throws is never run again: every failure ends here. */
    public void pollQuietly() {
        try {
            poll();
        } catch (MessagingException | RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("{} {} not (fully) read, will retry every {}: {}", name, location(),
                        settings.pollInterval(), e.toString());
            }
        }
    }

    /**
     * One poll: at most max-per-poll messages, each handled then flagged deleted; the deletions are expunged when the
     * folder closes, also after a failure midway (what was handled is not handled again).
     *
     * @return the number of messages handled
     * @throws MessagingException if the mailbox could not be read; the messages not handled stay for the next poll
     */
    public int poll() throws MessagingException {
        Store store = session.getStore(settings.protocol().storeName());
        store.connect(settings.host(), settings.port(), settings.username(), settings.password());
        int handled = 0;
        int understood = 0;
        try {
            Folder folder = store.getFolder(settings.folder());
            folder.open(Folder.READ_WRITE);
            try {
                int count = folder.getMessageCount();
                if (count > 0) {
                    Message[] messages = folder.getMessages(1, Math.min(count, Math.max(1, settings.maxPerPoll())));
                    FetchProfile profile = new FetchProfile();
                    profile.add(FetchProfile.Item.ENVELOPE);
                    profile.add(FetchProfile.Item.CONTENT_INFO);
                    folder.fetch(messages, profile);
                    for (Message message : messages) {
                        if (message.isExpunged() || message.isSet(Flags.Flag.DELETED)) {
                            continue;
                        }
                        boolean ok = handler.handle(message, folder);
                        message.setFlag(Flags.Flag.DELETED, true);
                        handled++;
                        if (ok) {
                            understood++;
                        }
                    }
                }
            } finally {
                if (folder.isOpen()) {
                    folder.close(true);
                }
            }
        } finally {
            store.close();
        }
        if (failing) {
            failing = false;
            log.info("{} {} read again", name, location());
        }
        if (handled > 0) {
            // Counts only: neither the senders' addresses nor the messages say anything that belongs in a log.
            log.info("{}: {} message(s) handled and deleted, {} with a valid token, {} without", name, handled,
                    understood, handled - understood);
        }
        return handled;
    }

    private String location() {
        return settings.protocol().storeName() + "://" + settings.host() + ":" + settings.port() + "/"
                + settings.folder();
    }
}
