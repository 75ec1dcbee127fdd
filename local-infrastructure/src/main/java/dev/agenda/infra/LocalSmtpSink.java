package dev.agenda.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * GreenMail SMTP sink with its JSON inbox, in a child JVM; optionally also an IMAP server holding the mailbox of
 * {@link #UNSUBSCRIBE_ADDRESS} (the {@code mailto:} of the notices' List-Unsubscribe), which the notification service
 * reads.
 */
public final class LocalSmtpSink {

    /** The address the notification service offers for unsubscribing by mail; also the IMAP login of its mailbox. */
    public static final String UNSUBSCRIBE_ADDRESS = "unsubscribe@agenda.localhost";
    /** The mailbox's password when {@code AGENDA_UNSUBSCRIBE_MAILBOX_PASSWORD} is not set (the service's default). */
    public static final String DEFAULT_MAILBOX_PASSWORD = "agenda-local";
    /** Messages the inbox keeps (the latest): 11 to 30 KB of heap each (20 KB emails), inside the sink's 256 MB. */
    public static final int DEFAULT_MAX_MESSAGES = 5_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int smtpPort;
    private final int httpPort;
    private final int imapPort;
    private final ChildJvm jvm;

    /** SMTP and the JSON inbox only. */
    public LocalSmtpSink(int smtpPort, int httpPort, Path logFile) {
        this(smtpPort, httpPort, 0, logFile);
    }

    /** @param imapPort where IMAP serves the unsubscribe mailbox; 0 for none */
    public LocalSmtpSink(int smtpPort, int httpPort, int imapPort, Path logFile) {
        this(smtpPort, httpPort, imapPort, logFile, DEFAULT_MAX_MESSAGES);
    }

    /** @param maxMessages how many messages the inbox keeps, the latest (0: all) */
    public LocalSmtpSink(int smtpPort, int httpPort, int imapPort, Path logFile, int maxMessages) {
        this.smtpPort = smtpPort;
        this.httpPort = httpPort;
        this.imapPort = imapPort;
        List<String> args = new java.util.ArrayList<>(List.of(Integer.toString(smtpPort), Integer.toString(httpPort)));
        if (imapPort != 0) {
            args.add(Integer.toString(imapPort));
        }
        this.jvm = ChildJvm.builder("smtp-sink")
                .mainClass(SmtpSinkMain.class.getName())
                // A local mailbox's password, not a secret: visible on the command line like the ports.
                .jvmArgs("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dlogback.configurationFile=agenda-infra-logback.xml",
                        "-Dagenda.unsubscribe-mailbox.password=" + mailboxPassword(),
                        "-Dagenda.smtp-sink.max-messages=" + maxMessages)
                .args(args.toArray(String[]::new))
                .logFile(logFile)
                .readyWhen(() -> Ports.accepting(smtpPort) && (imapPort == 0 || Ports.accepting(imapPort))
                        && Http.answers200(inboxUrl() + "/api/health"))
                .startTimeout(Duration.ofSeconds(60))
                .build();
    }

    public LocalSmtpSink start() {
        jvm.start();
        return this;
    }

    public void stop() {
        jvm.stop();
    }

    public long pid() {
        return jvm.pid();
    }

    public int smtpPort() {
        return smtpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** 0 when this sink serves no IMAP. */
    public int imapPort() {
        return imapPort;
    }

    /** The IMAP password of {@link #UNSUBSCRIBE_ADDRESS}: {@code AGENDA_UNSUBSCRIBE_MAILBOX_PASSWORD}, else the default. */
    public static String mailboxPassword() {
        String configured = System.getenv("AGENDA_UNSUBSCRIBE_MAILBOX_PASSWORD");
        return configured == null || configured.isBlank() ? DEFAULT_MAILBOX_PASSWORD : configured;
    }

    /** Base URL of the inbox; messages are at {@code /api/messages}. */
    public String inboxUrl() {
        return "http://" + Ports.HOST + ":" + httpPort;
    }

    /** Every message received so far, as the inbox JSON describes it. */
    public List<Map<String, Object>> messages() {
        return call("GET", "/api/messages", new TypeReference<>() { });
    }

    public List<Map<String, Object>> messagesTo(String address) {
        return call("GET", "/api/messages?to=" + java.net.URLEncoder.encode(address, java.nio.charset.StandardCharsets.UTF_8),
                new TypeReference<>() { });
    }

    public void clear() {
        call("DELETE", "/api/messages", new TypeReference<Map<String, Object>>() { });
    }

    /** Takes the SMTP listener down (connections refused) while the inbox keeps what it has. */
    public void stopSmtp() {
        call("POST", "/api/smtp/stop", new TypeReference<Map<String, Object>>() { });
    }

    public void startSmtp() {
        call("POST", "/api/smtp/start", new TypeReference<Map<String, Object>>() { });
    }

    private <T> T call(String method, String path, TypeReference<T> type) {
        try {
            var response = Http.send(method, inboxUrl() + path);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
