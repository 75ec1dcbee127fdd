package dev.agenda.notification.unsubscribe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.mailbox.MailboxReader;
import dev.agenda.notification.subscription.SubscriptionService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
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
 * Polled by a {@link MailboxReader}: on a thread of its own, a poll that fails retried at the next one, an outage
 * logged once.
 */
@Component
class UnsubscribeMailbox {

    private static final Logger log = LoggerFactory.getLogger(UnsubscribeMailbox.class);
    /** Enough for the first lines of a text body; a larger body is not read further. */
    private static final int BODY_BYTES = 4096;
    private static final int HTML_BYTES = 64 * 1024;
    private static final int MAX_PART_DEPTH = 3;

    private final SubscriptionService subscriptions;
    private final MailboxReader reader;
    private final Counter unsubscribed;
    private final Counter invalid;

    UnsubscribeMailbox(SubscriptionService subscriptions, NotificationProperties properties, MeterRegistry meters) {
        this.subscriptions = subscriptions;
        this.reader = new MailboxReader("unsubscribe mailbox", properties.unsubscribeMailbox(), log, this::handle);
        this.unsubscribed = counter(meters, "unsubscribed");
        this.invalid = counter(meters, "invalid");
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("agenda.unsubscribe.mailbox").tag("outcome", outcome)
                .description("Messages of the unsubscribe mailbox handled (and deleted), by outcome")
                .register(meters);
    }

    static Properties sessionProperties(NotificationProperties.Mailbox settings) {
        return MailboxReader.sessionProperties(settings);
    }

    @PostConstruct
    void start() {
        reader.start("requests sent to the List-Unsubscribe mailto are not read");
    }

    @PreDestroy
    void stop() {
        reader.stop();
    }

    /** See {@link MailboxReader#pollQuietly}. */
    void pollQuietly() {
        reader.pollQuietly();
    }

    /** See {@link MailboxReader#poll}. */
    int poll() throws MessagingException {
        return reader.poll();
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
}
