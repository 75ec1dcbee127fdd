package dev.agenda.notification.mail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.stereotype.Component;

import dev.agenda.notification.NotificationProperties;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import jakarta.annotation.PreDestroy;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;

/**
 * Sends over a pool of SMTP connections that stay open between messages (one connection costs a TCP and an SMTP
 * handshake; a message on an open one costs MAIL/RCPT/DATA only), with a global rate limit. A connection that
 * failed is closed and reopened for the next message.
 */
@Component
public class SmtpSender {

    private static final Logger log = LoggerFactory.getLogger(SmtpSender.class);

    static {
        // Jakarta Mail 2.1 looks its StreamProvider up with a ServiceLoader scan of the whole classpath at every
        // MimeMultipart and every part written (jakartaee/mail-api#699, #861): a third of the sending threads' CPU
        // in the fan-out bench. Its FactoryFinder reads this system property first, which turns the lookup into a
        // Class.forName of the implementation that is on the classpath anyway.
        String key = jakarta.mail.util.StreamProvider.class.getName();
        if (System.getProperty(key) == null) {
            System.setProperty(key, org.eclipse.angus.mail.util.MailStreamProvider.class.getName());
        }
    }
    private static final long IDLE_CHECK_NANOS = 5_000_000_000L;

    private final Session session;
    private final MailProperties mail;
    private final InternetAddress from;
    private final BlockingQueue<Connection> idle = new LinkedBlockingQueue<>();
    private final Bucket rate;
    /**
     * Attachments already encoded, by identity of their content (a record's array component compares by reference):
     * those of the few notices being sent. An attachment not seen for a while is encoded again, which costs nothing
     * but time.
     */
    private final Map<OutgoingMail.Attachment, byte[]> encodedAttachments = Collections.synchronizedMap(
            new LinkedHashMap<>(32, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<OutgoingMail.Attachment, byte[]> eldest) {
                    return size() > 32;
                }
            });

    public SmtpSender(MailProperties mail, NotificationProperties properties) throws MessagingException {
        this.mail = mail;
        Properties props = new Properties();
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "15000");
        props.put("mail.smtp.writetimeout", "15000");
        props.put("mail.smtp.socketFactory", new NoDelaySocketFactory());
        props.putAll(mail.getProperties());
        if (mail.getUsername() != null) {
            props.put("mail.smtp.auth", "true");
        }
        this.session = Session.getInstance(props);
        this.from = fromHeader(properties.mail().from());
        double perSecond = properties.smtp().ratePerSecond();
        this.rate = perSecond <= 0 ? null : Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(Math.max(1, (long) Math.ceil(perSecond)))
                        .refillGreedy(Math.max(1, Math.round(perSecond * 10)), java.time.Duration.ofSeconds(10)).build())
                .build();
    }

    /**
     * The From address, its display name encoded (RFC 2047). Parsed from text, Jakarta Mail keeps the name as typed
     * and writes it back raw: « Agenda du numérique » went out as 8-bit bytes in a header, which RFC 5322 forbids
     * without SMTPUTF8 and which receivers show garbled or score as spam.
     */
    static InternetAddress fromHeader(String from) throws MessagingException {
        InternetAddress parsed = new InternetAddress(from, true);
        if (parsed.getPersonal() == null) {
            return parsed;
        }
        try {
            return new InternetAddress(parsed.getAddress(), parsed.getPersonal(), StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void send(OutgoingMail outgoing) throws MailSendException {
        send(outgoing, null);
    }

    /**
     * Sends one message; {@code commitPoint}, if any, runs once the server has the whole content and before the
     * end-of-data mark (see {@link CommitPoint}).
     *
     * @throws MailSendException permanent (5xx), transient (4xx, connection), or {@link
     *                           MailSendException#abandonedAtCommit()} when the commit point failed and the message
     *                           was dropped before its end of data
     */
    public void send(OutgoingMail outgoing, CommitPoint commitPoint) throws MailSendException {
        MimeMessage message;
        try {
            message = toMime(outgoing);
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new MailSendException("cannot build the message: " + e.getMessage(), true, e);
        }
        if (rate != null) {
            try {
                rate.asBlocking().consume(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MailSendException("interrupted", false, e);
            }
        }
        Connection pooled = idle.poll();
        CommittingSmtpTransport transport = pooled == null ? null : pooled.transport();
        try {
            // A connection used moments ago is trusted without a NOOP round trip; an older one may have been
            // dropped by the server's idle timeout, so it is checked first.
            if (transport != null && System.nanoTime() - pooled.lastUsedNanos() > IDLE_CHECK_NANOS
                    && !transport.isConnected()) {
                closeQuietly(transport);
                transport = null;
            }
            if (transport == null) {
                int port = mail.getPort() == null ? -1 : mail.getPort();
                transport = new CommittingSmtpTransport(session,
                        new URLName("smtp", mail.getHost(), port, null, mail.getUsername(), mail.getPassword()));
                transport.connect(mail.getHost(), port, mail.getUsername(), mail.getPassword());
            }
            transport.send(message, commitPoint);
            idle.offer(new Connection(transport, System.nanoTime()));
        } catch (MessagingException e) {
            // After a failure the SMTP dialogue may be in any state: never reuse that connection.
            closeQuietly(transport);
            throw classify(e);
        } catch (RuntimeException e) {
            closeQuietly(transport);
            throw new MailSendException(e.toString(), false, e);
        }
    }

    /** Permanent (5xx), transient (4xx), the server unavailable (421, no connection), or abandoned at the commit. */
    static MailSendException classify(MessagingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CommittingSmtpTransport.CommitAborted) {
                return MailSendException.abandoned(t.getMessage(), e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            int code = -1;
            // The recipient (RCPT) or the message to them (DATA, its end) refused, as opposed to the sender (MAIL).
            boolean recipientRefused = false;
            if (t instanceof SMTPSendFailedException s) {
                code = s.getReturnCode();
                String command = s.getCommand() == null ? "" : s.getCommand().strip();
                recipientRefused = command.equals(".") || command.regionMatches(true, 0, "DATA", 0, 4);
            } else if (t instanceof SMTPAddressFailedException s) {
                code = s.getReturnCode();
                recipientRefused = true;
            } else if (t instanceof SMTPSenderFailedException s) {
                code = s.getReturnCode();
            }
            String status = recipientRefused ? enhancedStatus(t.getMessage()) : null;
            if (code >= 500) {
                // The server's reply to that very command: for a refused recipient, the top exception only says
                // "Invalid Addresses", and the admin (and a bounce's reason) needs the server's words.
                String reply = t.getMessage() != null && t.getMessage().startsWith(Integer.toString(code))
                        ? t.getMessage() : code + " " + e.getMessage();
                return MailSendException.refused(reply, true, status, e);
            }
            if (code == 421) {
                return MailSendException.serverUnavailable(code + " " + e.getMessage(), e);
            }
            if (code >= 400) {
                return new MailSendException(code + " " + e.getMessage(), false, e);
            }
            if (t instanceof ConnectException || t instanceof SocketException || t instanceof SocketTimeoutException
                    || t instanceof UnknownHostException) {
                return MailSendException.serverUnavailable("connection: " + t, e);
            }
        }
        // Unknown failures are treated as transient: the retry budget bounds them, and an admin can retry later.
        return new MailSendException(e.toString(), false, e);
    }

    /** An enhanced status code (RFC 3463: class.subject.detail) after the reply code, as in "550 5.1.1 ...". */
    private static final java.util.regex.Pattern ENHANCED_STATUS = java.util.regex.Pattern.compile(
            "^\\s*\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})(?![\\d.])");

    /** The enhanced status code of a server reply, or null if it has none. */
    static String enhancedStatus(String reply) {
        if (reply == null) {
            return null;
        }
        java.util.regex.Matcher m = ENHANCED_STATUS.matcher(reply);
        return m.find() ? m.group(1) : null;
    }

    /** Size on the wire of a message, headers included (capacity planning, the fan-out bench). */
    public long sizeOf(OutgoingMail outgoing) {
        return wire(outgoing).length;
    }

    /** The message as it goes out after DATA (before dot-stuffing): what receivers and their filters read. */
    byte[] wire(OutgoingMail outgoing) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            toMime(outgoing).writeTo(out);
            return out.toByteArray();
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private MimeMessage toMime(OutgoingMail outgoing) throws MessagingException, UnsupportedEncodingException {
        FixedIdMimeMessage message = new FixedIdMimeMessage(session, "<" + outgoing.messageId() + ">");
        message.setFrom(from);
        if (outgoing.envelopeFrom() != null) {
            // MAIL FROM only: the From header, what the person sees and replies to, stays the agenda's.
            message.setEnvelopeFrom(outgoing.envelopeFrom());
        }
        message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(outgoing.to(), true));
        message.setSubject(Subjects.singleLine(outgoing.subject()), StandardCharsets.UTF_8.name());
        message.setSentDate(new java.util.Date());
        for (Map.Entry<String, String> header : outgoing.headers().entrySet()) {
            message.setHeader(header.getKey(), MimeUtility.fold(header.getKey().length() + 2,
                    Subjects.withoutLineBreaks(header.getValue())));
        }
        MimeMultipart alternative = new MimeMultipart("alternative");
        OutgoingMail.Shared shared = outgoing.shared();
        if (shared != null) {
            // Already encoded (mostly once per event): Jakarta Mail copies the bytes of such a part as they are.
            alternative.addBodyPart(encodedText("plain", shared.text().encode(shared.textValues())));
            alternative.addBodyPart(encodedText("html", shared.html().encode(shared.htmlValues())));
        } else {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(outgoing.text(), StandardCharsets.UTF_8.name(), "plain");
            alternative.addBodyPart(text);
            MimeBodyPart html = new MimeBodyPart();
            html.setText(outgoing.html(), StandardCharsets.UTF_8.name(), "html");
            alternative.addBodyPart(html);
        }
        if (outgoing.attachments().isEmpty()) {
            message.setContent(alternative);
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart body = new MimeBodyPart();
            body.setContent(alternative);
            mixed.addBodyPart(body);
            for (OutgoingMail.Attachment attachment : outgoing.attachments()) {
                mixed.addBodyPart(new MimeBodyPart(new ByteArrayInputStream(encoded(attachment))));
            }
            message.setContent(mixed);
        }
        message.saveChanges();
        return message;
    }

    /**
     * The attachment's part as it goes out, headers and encoded content: a notice's {@code .ics} is the same for
     * all its recipients (the composer renders a notice once per event state), and encoding it per email, byte by
     * byte through Jakarta Mail's encoder and SMTP streams, was 40 % of the sending threads' CPU in the fan-out bench.
     */
    private byte[] encoded(OutgoingMail.Attachment attachment) throws MessagingException {
        byte[] part = encodedAttachments.get(attachment);
        if (part == null) {
            part = encode(attachment);
            encodedAttachments.put(attachment, part);
        }
        return part;
    }

    /** Built as Jakarta Mail builds any attachment: its headers, and the encoding it chooses for the content. */
    private static byte[] encode(OutgoingMail.Attachment attachment) throws MessagingException {
        PreparedPart part = new PreparedPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content(), attachment.contentType())));
        part.setFileName(attachment.fileName());
        part.setDisposition(MimeBodyPart.ATTACHMENT);
        part.prepare();
        ByteArrayOutputStream out = new ByteArrayOutputStream(attachment.content().length * 3 / 2 + 256);
        try {
            part.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A part whose headers (its Content-Transfer-Encoding among them) are settled without a message around it. */
    private static final class PreparedPart extends MimeBodyPart {
        void prepare() throws MessagingException {
            updateHeaders();
        }
    }

    private static MimeBodyPart encodedText(String subtype, byte[] quotedPrintable) throws MessagingException {
        InternetHeaders headers = new InternetHeaders();
        headers.setHeader("Content-Type", "text/" + subtype + "; charset=UTF-8");
        headers.setHeader("Content-Transfer-Encoding", "quoted-printable");
        return new MimeBodyPart(headers, quotedPrintable);
    }

    private static void closeQuietly(Transport transport) {
        // A connection whose message was abandoned is already closed (without a QUIT): close() then does nothing.
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException e) {
                log.debug("closing an SMTP connection failed", e);
            }
        }
    }

    @PreDestroy
    void close() {
        Connection c;
        while ((c = idle.poll()) != null) {
            closeQuietly(c.transport());
        }
    }

    /** Jakarta Mail replaces the Message-ID at every saveChanges(); ours must stay the delivery's. */
    private static final class FixedIdMimeMessage extends SMTPMessage {
        private final String messageId;

        FixedIdMimeMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }

    /** An open connection and when it was last used. */
    private record Connection(CommittingSmtpTransport transport, long lastUsedNanos) {
    }
}
