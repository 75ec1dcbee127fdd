package dev.agenda.notification.bounce;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.mailbox.MailboxReader;
import dev.agenda.notification.subscription.LinkTokens;
import dev.agenda.notification.subscription.ReturnPaths;
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
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;

/**
 * Reads the mailbox the bounces come back to (the VERP envelope senders' base address, see {@link ReturnPaths}) and
 * hands each bounce to {@link BounceService}. Whom a bounce is about is read from the VERP address it was sent to
 * (Delivered-To, X-Original-To, To, or the Return-Path of the returned message), whose signed token is the only
 * authority: nothing else in a bounce can be believed, and a message without a valid token suppresses nobody. What
 * it says is read from its RFC 3464 report ({@code multipart/report}, part {@code message/delivery-status}); a
 * message without one (an auto-reply, a vacation notice, a bounce in free text) is no proof of anything and only
 * counted. Every message is deleted once handled; handled twice, it suppresses nobody more.
 */
@Component
class BounceMailbox {

    private static final Logger log = LoggerFactory.getLogger(BounceMailbox.class);
    /** A delivery-status part is a few hundred bytes; a larger one is not read further. */
    private static final int REPORT_BYTES = 16 * 1024;
    private static final int MAX_PART_DEPTH = 3;
    /** Where a mail server writes the address a message was delivered to, its envelope recipient first. */
    private static final List<String> RECIPIENT_HEADERS = List.of("Delivered-To", "X-Original-To", "Envelope-To",
            "X-Envelope-To", "To");
    private static final int MAX_CANDIDATES = 10;

    private final ReturnPaths returnPaths;
    private final BounceService bounces;
    private final MailboxReader reader;
    private final Counter invalid;

    BounceMailbox(ReturnPaths returnPaths, BounceService bounces, NotificationProperties properties,
            MeterRegistry meters) {
        this.returnPaths = returnPaths;
        this.bounces = bounces;
        NotificationProperties.Mailbox settings = properties.bounces() == null ? null : properties.bounces().mailbox();
        this.reader = settings == null ? null : new MailboxReader("bounce mailbox", settings, log, this::handle);
        this.invalid = Counter.builder("agenda.bounces").tag("source", "dsn").tag("outcome", "invalid")
                .description("Bounces of emails to subscribers, by where they were learnt and what they said (only "
                        + "hard ones suppress the address)")
                .register(meters);
    }

    @PostConstruct
    void start() {
        if (reader == null) {
            log.info("bounce mailbox disabled: bounce reports are not read");
            return;
        }
        reader.start("bounce reports are not read (a 5.1.x refusal at the SMTP dialogue still suppresses)");
    }

    @PreDestroy
    void stop() {
        if (reader != null) {
            reader.stop();
        }
    }

    /** See {@link MailboxReader#poll}. */
    int poll() throws MessagingException {
        return reader.poll();
    }

    private boolean handle(Message message, Folder folder) throws MessagingException {
        Optional<LinkTokens.Claims> subscription;
        Bounce bounce;
        try {
            subscription = subscription(message);
            bounce = subscription.isEmpty() ? null : read(message);
        } catch (FolderClosedException | StoreClosedException lost) {
            throw lost;
        } catch (MessagingException | IOException | RuntimeException unreadable) {
            if (!folder.isOpen()) {
                throw new MessagingException("connection lost while reading a message", unreadable);
            }
            // A message that cannot be parsed proves nothing: deleted, as one without a token.
            subscription = Optional.empty();
            bounce = null;
        }
        if (subscription.isEmpty()) {
            invalid.increment();
            return false;
        }
        bounces.bounced(subscription.get(), bounce, BounceService.Source.DSN);
        return true;
    }

    /** The subscription named by the first VERP address of the message whose token holds. */
    Optional<LinkTokens.Claims> subscription(Message message) throws MessagingException, IOException {
        for (String address : candidateAddresses(message)) {
            Optional<LinkTokens.Claims> claims = returnPaths.claimsOf(address);
            if (claims.isPresent()) {
                return claims;
            }
        }
        return Optional.empty();
    }

    /** The addresses the message was delivered to, then the envelope sender of the message it returns. */
    static List<String> candidateAddresses(Message message) throws MessagingException, IOException {
        Set<String> found = new LinkedHashSet<>();
        for (String header : RECIPIENT_HEADERS) {
            addAddresses(message.getHeader(header), found);
        }
        Part returned = firstPart(message, List.of("message/rfc822", "text/rfc822-headers", "message/global",
                "message/global-headers"), 0);
        if (returned != null) {
            try (InputStream in = returned.getInputStream()) {
                InternetHeaders headers = new InternetHeaders(in);
                addAddresses(headers.getHeader("Return-Path"), found);
            }
        }
        return new ArrayList<>(found).subList(0, Math.min(found.size(), MAX_CANDIDATES));
    }

    private static void addAddresses(String[] values, Set<String> found) {
        if (values == null) {
            return;
        }
        for (String value : values) {
            try {
                for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
                    if (a.getAddress() != null) {
                        found.add(a.getAddress());
                    }
                }
            } catch (jakarta.mail.internet.AddressException unparsable) {
                found.add(value.strip());
            }
        }
    }

    /**
     * What the message says: its delivery-status report read (see {@link DeliveryStatusReport#read}), or, without one,
     * {@link Bounce.Kind#NOT_A_BOUNCE}: an auto-reply, or a bounce too free-form to be sure of.
     */
    static Bounce read(Message message) throws MessagingException, IOException {
        Part report = firstPart(message, List.of("message/delivery-status", "message/global-delivery-status"), 0);
        if (report == null) {
            return new Bounce(Bounce.Kind.NOT_A_BOUNCE, null, null);
        }
        try (InputStream in = report.getInputStream()) {
            return DeliveryStatusReport.read(new String(in.readNBytes(REPORT_BYTES), StandardCharsets.UTF_8));
        }
    }

    private static Part firstPart(Part part, List<String> mimeTypes, int depth) throws MessagingException,
            IOException {
        for (String type : mimeTypes) {
            if (part.isMimeType(type)) {
                return part;
            }
        }
        if (part.isMimeType("multipart/*") && depth < MAX_PART_DEPTH
                && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                Part found = firstPart(multipart.getBodyPart(i), mimeTypes, depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
