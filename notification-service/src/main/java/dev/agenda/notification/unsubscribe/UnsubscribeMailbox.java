package dev.agenda.notification.unsubscribe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.subscription.SubscriptionService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.StoreClosedException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeUtility;

/**
 * Reads the mailbox behind the {@code mailto:} of List-Unsubscribe (RFC 2369) and unsubscribes whoever the token of
 * each request designates, exactly as the one-click link does. The token is the only authority: the sender's address
 * can be forged by anyone, so it is never read. Every message is deleted once handled, with a valid token or not;
 * handled twice (the service stopped before the deletion reached the server), it unsubscribes nobody more, since
 * unsubscribing is idempotent.
 * <p>
 * Polled on a thread of its own, so that a slow or unreachable mail server delays nothing else; a poll that fails is
 * retried at the next one, and an outage is logged once.
 */
@Component
class UnsubscribeMailbox {

    private static final Logger log = LoggerFactory.getLogger(UnsubscribeMailbox.class);
    /** Enough for the first lines of a text body; a larger body is not read further. */
    private static final int BODY_BYTES = 4096;
    private static final int HTML_BYTES = 64 * 1024;
    private static final int MAX_PART_DEPTH = 3;

    private final SubscriptionService subscriptions;
    private final NotificationProperties.UnsubscribeMailbox settings;
    private final Session session;
    private final Counter unsubscribed;
    private final Counter invalid;
    private ScheduledExecutorService poller;
    /** Whether the last poll failed: an outage is logged when it starts and when it ends, not at every poll. */
    private volatile boolean failing;

    UnsubscribeMailbox(SubscriptionService subscriptions, NotificationProperties properties, MeterRegistry meters) {
        this.subscriptions = subscriptions;
        this.settings = properties.unsubscribeMailbox();
        this.session = Session.getInstance(sessionProperties(settings));
        this.unsubscribed = counter(meters, "unsubscribed");
        this.invalid = counter(meters, "invalid");
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("agenda.unsubscribe.mailbox").tag("outcome", outcome)
                .description("Messages of the unsubscribe mailbox handled (and deleted), by outcome")
                .register(meters);
    }

    static Properties sessionProperties(NotificationProperties.UnsubscribeMailbox settings) {
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
            boolean enable = starttls != NotificationProperties.UnsubscribeMailbox.Starttls.OFF;
            p.setProperty("mail." + protocol + ".starttls.enable", Boolean.toString(enable));
            p.setProperty("mail." + protocol + ".starttls.required",
                    Boolean.toString(starttls == NotificationProperties.UnsubscribeMailbox.Starttls.REQUIRED));
            tls = enable;
        }
        if (tls) {
            // Encryption with a certificate for any name would let any interceptor read the password.
            p.setProperty("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        return p;
    }

    @PostConstruct
    void start() {
        if (!settings.enabled()) {
            log.info("unsubscribe mailbox disabled: requests sent to the List-Unsubscribe mailto are not read");
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "unsubscribe-mailbox");
            t.setDaemon(true);
            return t;
        });
        long interval = settings.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::pollQuietly, interval, interval, TimeUnit.MILLISECONDS);
        log.info("unsubscribe mailbox {} read every {}", location(), settings.pollInterval());
    }

    @PreDestroy
    void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** A scheduled task that throws is never run again: every failure ends here. */
    void pollQuietly() {
        try {
            poll();
        } catch (MessagingException | RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("unsubscribe mailbox {} not (fully) read, will retry every {}: {}", location(),
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
    int poll() throws MessagingException {
        Store store = session.getStore(settings.protocol().storeName());
        store.connect(settings.host(), settings.port(), settings.username(), settings.password());
        int handled = 0;
        int valid = 0;
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
                        boolean ok = handle(message, folder);
                        message.setFlag(Flags.Flag.DELETED, true);
                        handled++;
                        if (ok) {
                            valid++;
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
            log.info("unsubscribe mailbox {} read again", location());
        }
        if (handled > 0) {
            // Counts only: neither the senders' addresses nor the messages say anything that belongs in a log.
            log.info("unsubscribe mailbox: {} message(s) handled and deleted, {} with a valid token, {} without",
                    handled, valid, handled - valid);
        }
        return handled;
    }

    /**
     * @return whether the message carried a valid token (its subscriber, if still subscribed, is unsubscribed)
     * @throws MessagingException if the connection was lost: the message stays for the next poll
     * @throws RuntimeException   if the subscriber could not be unsubscribed (the database): the same
     */
    private boolean handle(Message message, Folder folder) throws MessagingException {
        List<String> candidates;
        try {
            candidates = UnsubscribeRequests.candidates(message.getSubject(), bodyStart(message));
        } catch (FolderClosedException | StoreClosedException lost) {
            throw lost;
        } catch (MessagingException | IOException | RuntimeException unreadable) {
            if (!folder.isOpen()) {
                throw new MessagingException("connection lost while reading a message", unreadable);
            }
            // A message that cannot be parsed asks nothing that can be understood: deleted as one without a token.
            candidates = List.of();
        }
        for (String token : candidates) {
            // The same calls as the one-click POST: the same validation, the same idempotent unsubscription.
            if (subscriptions.validManageToken(token)) {
                subscriptions.unsubscribe(token);
                unsubscribed.increment();
                return true;
            }
        }
        invalid.increment();
        return false;
    }

    /**
     * The first bytes of the first text/plain part or, in a message without one or with an empty one (some clients
     * send HTML only, or an empty text alternative), the text of the first text/html part, line breaks kept; null if
     * neither.
     */
    private static String bodyStart(Message message) throws MessagingException, IOException {
        Part plain = firstPart(message, "text/plain", 0);
        if (plain != null) {
            try (InputStream in = plain.getInputStream()) {
                String text = new String(in.readNBytes(BODY_BYTES), charset(plain));
                if (!text.isBlank()) {
                    return text;
                }
            }
        }
        Part html = firstPart(message, "text/html", 0);
        if (html != null) {
            try (InputStream in = html.getInputStream()) {
                // Markup, styles and a quoted thread weigh more than the text: more bytes for the same first lines.
                return UnsubscribeRequests.textOfHtml(new String(in.readNBytes(HTML_BYTES), charset(html)));
            }
        }
        return null;
    }

    private static Part firstPart(Part part, String mimeType, int depth) throws MessagingException, IOException {
        if (part.isMimeType(mimeType)) {
            return part;
        }
        if (part.isMimeType("multipart/*") && depth < MAX_PART_DEPTH
                && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                Part found = firstPart(multipart.getBodyPart(i), mimeType, depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Charset charset(Part part) {
        try {
            String name = new ContentType(part.getContentType()).getParameter("charset");
            return name == null ? StandardCharsets.US_ASCII : Charset.forName(MimeUtility.javaCharset(name));
        } catch (MessagingException | RuntimeException e) {
            // A token is ASCII: whatever the declared charset, it reads the same.
            return StandardCharsets.UTF_8;
        }
    }

    private String location() {
        return settings.protocol().storeName() + "://" + settings.host() + ":" + settings.port() + "/"
                + settings.folder();
    }
}
