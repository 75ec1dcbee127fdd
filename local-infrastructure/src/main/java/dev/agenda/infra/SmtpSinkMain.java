package dev.agenda.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Flags;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

/**
 * GreenMail as an SMTP sink on 127.0.0.1, and its inbox as JSON over HTTP, so a person or a script can see what was
 * sent:
 * <ul>
 * <li>{@code GET /api/messages[?to=address]}: every received message (recipients, subject, all headers, text part,
 * HTML part, attachments' names and types), oldest first;</li>
 * <li>{@code DELETE /api/messages}: empties the inbox;</li>
 * <li>{@code POST /api/smtp/stop} and {@code POST /api/smtp/start}: takes the SMTP listener down and up again (an
 * outage) while the inbox keeps what it received;</li>
 * <li>{@code GET /api/health}.</li>
 * </ul>
 * The inbox is in memory and keeps the latest {@code agenda.smtp-sink.max-messages} messages (system property,
 * default {@value LocalSmtpSink#DEFAULT_MAX_MESSAGES}; 0 keeps all): a fan-out of tens of thousands of emails used to
 * exhaust the heap. The oldest are dropped, checked every second, except those of the unsubscribe mailbox, which the
 * notification service reads and deletes itself.
 * With an IMAP port, GreenMail also serves IMAP there, with one user: the mailbox of the unsubscribe address
 * ({@link LocalSmtpSink#UNSUBSCRIBE_ADDRESS}, login the same, password the system property
 * {@code agenda.unsubscribe-mailbox.password}), so the notification service can read the unsubscribe requests sent to
 * it as a real deployment reads its mailbox. An outage ({@code /api/smtp/stop}) takes IMAP down too, and the requests
 * not yet read go with GreenMail's store (the JSON inbox keeps them, as it keeps everything received).
 * <p>
 * Usage: {@code SmtpSinkMain <smtp-port> <http-port> [<imap-port>]}
 */
public final class SmtpSinkMain {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int smtpPort;
    /** 0: no IMAP. */
    private final int imapPort;
    private final String mailboxPassword;
    private final int maxMessages;
    private final List<Map<String, Object>> archived = new ArrayList<>();
    private GreenMail greenMail;
    private long dropped;
    private long droppedReportedAt;

    private SmtpSinkMain(int smtpPort, int imapPort, String mailboxPassword, int maxMessages) {
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
        this.mailboxPassword = mailboxPassword;
        this.maxMessages = maxMessages;
    }

    public static void main(String[] args) throws Exception {
        SmtpSinkMain sink = new SmtpSinkMain(Integer.parseInt(args[0]),
                args.length > 2 ? Integer.parseInt(args[2]) : 0,
                System.getProperty("agenda.unsubscribe-mailbox.password", LocalSmtpSink.DEFAULT_MAILBOX_PASSWORD),
                Integer.getInteger("agenda.smtp-sink.max-messages", LocalSmtpSink.DEFAULT_MAX_MESSAGES));
        sink.startSmtp();
        if (sink.maxMessages > 0) {
            ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "smtp-sink-trim");
                thread.setDaemon(true);
                return thread;
            });
            trimmer.scheduleWithFixedDelay(sink::trim, 1, 1, TimeUnit.SECONDS);
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(Ports.HOST, Integer.parseInt(args[1])), 50);
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.createContext("/api/messages", sink::messages);
        http.createContext("/api/smtp/stop", exchange -> sink.control(exchange, false));
        http.createContext("/api/smtp/start", exchange -> sink.control(exchange, true));
        http.createContext("/api/health", exchange -> respond(exchange, 200, Map.of("status", "UP",
                "smtp", sink.smtpRunning() ? "UP" : "DOWN",
                "imap", sink.imapPort == 0 ? "NONE" : sink.smtpRunning() ? "UP" : "DOWN")));
        http.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop(0);
            sink.stopSmtp();
            stopped.countDown();
        }, "smtp-sink-shutdown"));
        System.out.println("SMTP sink on " + Ports.HOST + ":" + args[0] + ", inbox on http://" + Ports.HOST + ":"
                + args[1] + "/api/messages" + (sink.imapPort == 0 ? ""
                        : ", IMAP mailbox of " + LocalSmtpSink.UNSUBSCRIBE_ADDRESS + " on " + Ports.HOST + ":"
                                + sink.imapPort));
        stopped.await();
    }

    private synchronized void startSmtp() {
        if (greenMail == null) {
            ServerSetup smtp = new ServerSetup(smtpPort, Ports.HOST, ServerSetup.PROTOCOL_SMTP);
            greenMail = imapPort == 0 ? new GreenMail(smtp)
                    : new GreenMail(new ServerSetup[] {smtp,
                            new ServerSetup(imapPort, Ports.HOST, ServerSetup.PROTOCOL_IMAP)});
            greenMail.start();
            if (imapPort != 0) {
                // Created before any message arrives for it: GreenMail would otherwise create it on first delivery
                // with the address as password.
                greenMail.setUser(LocalSmtpSink.UNSUBSCRIBE_ADDRESS, LocalSmtpSink.UNSUBSCRIBE_ADDRESS,
                        mailboxPassword);
            }
        }
    }

    /**
     * An outage that loses nothing the sink stored: the SMTP listener goes first, cutting open sessions, then the
     * store is read, then GreenMail, which drops its store when it stops, is stopped. As with any SMTP server going
     * down, a message stored in the instant before its "250" could be written is not acknowledged, so its sender
     * rightly sends it again.
     */
    private synchronized void stopSmtp() {
        if (greenMail != null) {
            greenMail.getSmtp().stopService();
            archived.addAll(describe(greenMail.getReceivedMessages()));
            greenMail.stop();
            greenMail = null;
        }
    }

    /** Drops the oldest messages beyond {@link #maxMessages}; see the class comment. */
    private synchronized void trim() {
        try {
            List<Stored> stored = new ArrayList<>();
            MailFolder kept = null;
            if (greenMail != null) {
                ImapHostManager imap = greenMail.getManagers().getImapHostManager();
                if (imapPort != 0) {
                    kept = imap.getInbox(greenMail.getManagers().getUserManager()
                            .getUser(LocalSmtpSink.UNSUBSCRIBE_ADDRESS));
                }
                for (MailFolder folder : imap.getStore().listMailboxes("*")) {
                    if (folder != kept) {
                        folder.getMessages().forEach(m -> stored.add(new Stored(folder, m)));
                    }
                }
            }
            int excess = archived.size() + stored.size() + (kept == null ? 0 : kept.getMessageCount()) - maxMessages;
            if (excess <= 0) {
                return;
            }
            // Archived messages (kept through an outage) are older than anything GreenMail holds now.
            int fromArchive = Math.min(excess, archived.size());
            archived.subList(0, fromArchive).clear();
            stored.sort(Comparator.comparing((Stored m) -> m.message().getReceivedDate())
                    .thenComparingLong(m -> m.message().getUid()));
            Set<MailFolder> touched = new HashSet<>();
            for (Stored m : stored.subList(0, Math.min(excess - fromArchive, stored.size()))) {
                m.message().setFlag(Flags.Flag.DELETED, true);
                touched.add(m.folder());
            }
            for (MailFolder folder : touched) {
                folder.expunge();
            }
            dropped += excess;
            if (System.nanoTime() - droppedReportedAt > TimeUnit.MINUTES.toNanos(1) || droppedReportedAt == 0) {
                droppedReportedAt = System.nanoTime();
                System.out.println("Inbox full: " + dropped + " oldest messages dropped so far (it keeps the latest "
                        + maxMessages + ", -Dagenda.smtp-sink.max-messages)");
            }
        } catch (Exception e) {
            System.out.println("Could not trim the inbox: " + e);
        }
    }

    private record Stored(MailFolder folder, StoredMessage message) {
    }

    private synchronized boolean smtpRunning() {
        return greenMail != null;
    }

    private synchronized List<Map<String, Object>> all() {
        List<Map<String, Object>> all = new ArrayList<>(archived);
        if (greenMail != null) {
            all.addAll(describe(greenMail.getReceivedMessages()));
        }
        return all;
    }

    private synchronized void clear() throws Exception {
        archived.clear();
        if (greenMail != null) {
            greenMail.purgeEmailFromAllMailboxes();
        }
    }

    private void control(HttpExchange exchange, boolean start) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, Map.of("error", "POST only"));
            return;
        }
        if (start) {
            startSmtp();
        } else {
            stopSmtp();
        }
        respond(exchange, 200, Map.of("smtp", smtpRunning() ? "UP" : "DOWN"));
    }

    private void messages(HttpExchange exchange) throws IOException {
        try {
            switch (exchange.getRequestMethod()) {
                case "GET" -> {
                    String to = queryParam(exchange, "to");
                    List<Map<String, Object>> list = all().stream()
                            .filter(m -> to == null || ((List<?>) m.get("to")).stream()
                                    .anyMatch(r -> r.toString().equalsIgnoreCase(to)))
                            .toList();
                    respond(exchange, 200, list);
                }
                case "DELETE" -> {
                    clear();
                    respond(exchange, 200, Map.of("deleted", true));
                }
                default -> respond(exchange, 405, Map.of("error", "GET or DELETE"));
            }
        } catch (Exception e) {
            respond(exchange, 500, Map.of("error", e.toString()));
        }
    }

    private static String queryParam(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * When the sink received the message: the date of the newest {@code Received:} header, which the sink's SMTP
     * server adds on arrival (a message keeps it however often the inbox is read); else its {@code Date:}.
     */
    static String receivedAt(MimeMessage message) throws MessagingException {
        java.util.Date date = message.getReceivedDate();
        String[] received = message.getHeader("Received");
        if (date == null && received != null && received.length > 0) {
            int semicolon = received[0].lastIndexOf(';');
            if (semicolon >= 0) {
                try {
                    date = new jakarta.mail.internet.MailDateFormat().parse(
                            MimeUtility.unfold(received[0].substring(semicolon + 1)).strip());
                } catch (java.text.ParseException e) {
                    date = null;
                }
            }
        }
        if (date == null) {
            date = message.getSentDate();
        }
        return date == null ? null : date.toInstant().toString();
    }

    static List<Map<String, Object>> describe(MimeMessage[] messages) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MimeMessage message : messages) {
            try {
                out.add(describe(message));
            } catch (Exception e) {
                out.add(Map.of("error", e.toString()));
            }
        }
        return out;
    }

    static Map<String, Object> describe(MimeMessage message) throws MessagingException, IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", message.getMessageID());
        m.put("from", addresses(message.getFrom()));
        m.put("to", addresses(message.getRecipients(Message.RecipientType.TO)));
        m.put("subject", message.getSubject());
        m.put("receivedAt", receivedAt(message));
        List<Map<String, String>> headers = new ArrayList<>();
        Enumeration<Header> all = message.getAllHeaders();
        while (all.hasMoreElements()) {
            Header h = all.nextElement();
            headers.add(Map.of("name", h.getName(), "value", h.getValue()));
        }
        m.put("headers", headers);
        Parts parts = new Parts();
        parts.walk(message);
        m.put("text", parts.text);
        m.put("html", parts.html);
        m.put("attachments", parts.attachments);
        m.put("size", message.getSize());
        return m;
    }

    private static List<String> addresses(Address[] addresses) {
        List<String> list = new ArrayList<>();
        if (addresses != null) {
            for (Address a : addresses) {
                list.add(a instanceof jakarta.mail.internet.InternetAddress ia ? ia.getAddress() : a.toString());
            }
        }
        return list;
    }

    private static final class Parts {
        String text;
        String html;
        final List<Map<String, Object>> attachments = new ArrayList<>();

        void walk(Part part) throws MessagingException, IOException {
            String disposition = part.getDisposition();
            String fileName = part.getFileName();
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    walk(child);
                }
            } else if (fileName != null || Part.ATTACHMENT.equalsIgnoreCase(disposition)) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("fileName", fileName == null ? null : MimeUtility.decodeText(fileName));
                a.put("contentType", part.getContentType());
                byte[] content = read(part.getInputStream());
                a.put("size", content.length);
                if (part.isMimeType("text/*")) {
                    a.put("content", new String(content, StandardCharsets.UTF_8));
                }
                attachments.add(a);
            } else if (part.isMimeType("text/plain") && text == null) {
                text = part.getContent().toString();
            } else if (part.isMimeType("text/html") && html == null) {
                html = part.getContent().toString();
            } else if (part.isMimeType("text/calendar")) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("fileName", null);
                a.put("contentType", part.getContentType());
                a.put("content", part.getContent().toString());
                attachments.add(a);
            }
        }

        private static byte[] read(InputStream in) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
