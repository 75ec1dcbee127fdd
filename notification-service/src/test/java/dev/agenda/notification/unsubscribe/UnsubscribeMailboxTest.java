package dev.agenda.notification.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.agenda.infra.Ports;
import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.NotificationProperties.Mailbox.Protocol;
import dev.agenda.notification.NotificationProperties.Mailbox.Starttls;
import dev.agenda.notification.subscription.SubscriptionService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * The reader against an in-process mail server it can be cut off from: outages, bounded polls, and what happens to a
 * message whose subscriber could not be unsubscribed. Which tokens are valid is the subscription service's business
 * (here a mock; the real one in {@code MailtoUnsubscribeTest}).
 */
class UnsubscribeMailboxTest {

    private static final String ADDRESS = "unsubscribe@agenda.test";
    private static final String PASSWORD = "secret";
    private static final String GOOD = "AQ3xK2rOT0mQm7cPq8wZ1k0AAAAAAAAAAA.q0vP5Q2yq1r2l4Xb9-c_Ue3n8aGkGJm0oI7W1c2d3e4";

    private final int port = Ports.free();
    private final SubscriptionService subscriptions = mock(SubscriptionService.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(UnsubscribeMailbox.class);
    private GreenMail server;
    private GreenMailUser mailbox;

    @BeforeEach
    void capture() {
        logs.start();
        logger.addAppender(logs);
        when(subscriptions.validManageToken(anyString())).thenReturn(false);
        when(subscriptions.validManageToken(GOOD)).thenReturn(true);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logs);
        stopServer();
    }

    @Test
    void anOutageIsLoggedOnceAndTheNextPollAfterItReadsTheMailbox() throws Exception {
        UnsubscribeMailbox reader = reader(100);
        reader.pollQuietly();
        reader.pollQuietly();
        reader.pollQuietly();
        assertThat(warnings()).hasSize(1);
        assertThat(warnings().get(0).getFormattedMessage()).contains("imap://127.0.0.1:" + port + "/INBOX");

        startServer();
        deliver("unsubscribe " + GOOD);
        reader.pollQuietly();
        verify(subscriptions).unsubscribe(GOOD);
        assertThat(server.getReceivedMessages()).isEmpty();
        assertThat(logs.list).anyMatch(e -> e.getLevel() == Level.INFO
                && e.getFormattedMessage().contains("read again"));

        stopServer();
        reader.pollQuietly();
        reader.pollQuietly();
        assertThat(warnings()).as("a second outage is a second warning").hasSize(2);
    }

    @Test
    void aFloodIsWorkedThroughAFewMessagesAPoll() throws Exception {
        startServer();
        for (int i = 0; i < 5; i++) {
            deliver("hello " + i);
        }
        UnsubscribeMailbox reader = reader(2);

        assertThat(reader.poll()).isEqualTo(2);
        assertThat(server.getReceivedMessages()).hasSize(3);
        assertThat(reader.poll()).isEqualTo(2);
        assertThat(reader.poll()).isEqualTo(1);
        assertThat(reader.poll()).isZero();
        assertThat(server.getReceivedMessages()).isEmpty();
        assertThat(meters.counter("agenda.unsubscribe.mailbox", "outcome", "invalid").count()).isEqualTo(5);
        verify(subscriptions, never()).unsubscribe(anyString());
        // Counts, and nothing of who sent what.
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("someone@example.org")
                || e.getFormattedMessage().contains("hello"));
    }

    @Test
    void aRequestWhoseSubscriberCouldNotBeUnsubscribedStaysForTheNextPoll() throws Exception {
        startServer();
        deliver("no token here");
        deliver("unsubscribe " + GOOD);
        deliver("nor here");
        doThrow(new IllegalStateException("database down")).doNothing().when(subscriptions).unsubscribe(GOOD);
        UnsubscribeMailbox reader = reader(100);

        assertThatThrownBy(reader::poll).hasMessageContaining("database down");
        // The message before it was handled and is gone; the request and what follows it wait.
        assertThat(server.getReceivedMessages()).extracting(MimeMessage::getSubject)
                .containsExactly("unsubscribe " + GOOD, "nor here");

        assertThat(reader.poll()).isEqualTo(2);
        verify(subscriptions, times(2)).unsubscribe(GOOD);
        assertThat(server.getReceivedMessages()).isEmpty();
        assertThat(meters.counter("agenda.unsubscribe.mailbox", "outcome", "unsubscribed").count()).isEqualTo(1);
        assertThat(meters.counter("agenda.unsubscribe.mailbox", "outcome", "invalid").count()).isEqualTo(2);
    }

    @Test
    void aWrongPasswordIsAFailedPollNotAnEmptyMailbox() throws Exception {
        startServer();
        deliver("unsubscribe " + GOOD);
        UnsubscribeMailbox reader = new UnsubscribeMailbox(subscriptions, properties(100, "not-the-password"),
                meters);

        assertThatThrownBy(reader::poll).isInstanceOf(MessagingException.class);
        assertThat(server.getReceivedMessages()).hasSize(1);
        verify(subscriptions, never()).unsubscribe(anyString());
    }

    @Test
    void aRequestInAnHtmlOnlyBodyIsRead() throws Exception {
        startServer();
        MimeMessage html = new MimeMessage(Session.getInstance(new java.util.Properties()));
        html.setFrom(new InternetAddress("someone@example.org"));
        html.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(ADDRESS));
        html.setContent("<html><body><div>unsubscribe " + GOOD + "</div><div><br></div><div>-- Alice</div></body>"
                + "</html>", "text/html; charset=UTF-8");
        html.saveChanges();
        mailbox.deliver(html);

        assertThat(reader(100).poll()).isEqualTo(1);

        verify(subscriptions).unsubscribe(GOOD);
        assertThat(meters.counter("agenda.unsubscribe.mailbox", "outcome", "unsubscribed").count()).isEqualTo(1);
    }

    /** A client that sends an empty text alternative next to the HTML the person wrote in. */
    @Test
    void aRequestInTheHtmlNextToAnEmptyTextPartIsRead() throws Exception {
        startServer();
        MimeMessage message = new MimeMessage(Session.getInstance(new java.util.Properties()));
        message.setFrom(new InternetAddress("someone@example.org"));
        message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(ADDRESS));
        jakarta.mail.internet.MimeBodyPart text = new jakarta.mail.internet.MimeBodyPart();
        text.setText("\r\n", "UTF-8");
        jakarta.mail.internet.MimeBodyPart html = new jakarta.mail.internet.MimeBodyPart();
        html.setContent("<p>unsubscribe " + GOOD + "</p>", "text/html; charset=UTF-8");
        message.setContent(new jakarta.mail.internet.MimeMultipart("alternative", text, html));
        message.saveChanges();
        mailbox.deliver(message);

        assertThat(reader(100).poll()).isEqualTo(1);

        verify(subscriptions).unsubscribe(GOOD);
    }

    /** What each setting asks of Angus Mail, for each protocol. */
    @Test
    void starttlsSettingsBecomeTheSessionsProperties() {
        for (Protocol plain : List.of(Protocol.IMAP, Protocol.POP3)) {
            String p = "mail." + plain.storeName() + ".";
            java.util.Properties off = UnsubscribeMailbox.sessionProperties(mailbox(plain, 1, "x", 1, Starttls.OFF));
            assertThat(off).containsEntry(p + "starttls.enable", "false").containsEntry(p + "starttls.required", "false")
                    .doesNotContainKey(p + "ssl.checkserveridentity");
            java.util.Properties offered = UnsubscribeMailbox.sessionProperties(
                    mailbox(plain, 1, "x", 1, Starttls.WHEN_OFFERED));
            assertThat(offered).containsEntry(p + "starttls.enable", "true")
                    .containsEntry(p + "starttls.required", "false")
                    .containsEntry(p + "ssl.checkserveridentity", "true");
            java.util.Properties required = UnsubscribeMailbox.sessionProperties(
                    mailbox(plain, 1, "x", 1, Starttls.REQUIRED));
            assertThat(required).containsEntry(p + "starttls.enable", "true")
                    .containsEntry(p + "starttls.required", "true")
                    .containsEntry(p + "ssl.checkserveridentity", "true");
        }
        for (Protocol tls : List.of(Protocol.IMAPS, Protocol.POP3S)) {
            String p = "mail." + tls.storeName() + ".";
            // TLS from the first byte: STARTTLS would mean nothing, whatever the setting says.
            assertThat(UnsubscribeMailbox.sessionProperties(mailbox(tls, 1, "x", 1, Starttls.REQUIRED)))
                    .containsEntry(p + "ssl.checkserveridentity", "true").doesNotContainKey(p + "starttls.enable");
        }
    }

    /** The local GreenMail offers no STARTTLS on IMAP: "required" logs in nowhere, the password never leaves. */
    @Test
    void requiredStarttlsDoesNotLogInToAServerThatDoesNotOfferIt() throws Exception {
        startServer();
        deliver("unsubscribe " + GOOD);
        UnsubscribeMailbox reader = new UnsubscribeMailbox(subscriptions,
                properties(mailbox(Protocol.IMAP, port, PASSWORD, 100, Starttls.REQUIRED)), meters);

        assertThatThrownBy(reader::poll).isInstanceOf(MessagingException.class);
        assertThat(server.getReceivedMessages()).hasSize(1);
        verify(subscriptions, never()).unsubscribe(anyString());
    }

    /** Against a server that offers STARTTLS: asked for before any login, unless the setting is off. */
    @Test
    void starttlsIsAskedForBeforeTheLoginWhenTheServerOffersIt() throws Exception {
        assertThat(commandsSentTo(Starttls.WHEN_OFFERED)).anyMatch(c -> c.startsWith("STARTTLS"))
                .noneMatch(c -> c.startsWith("LOGIN") || c.startsWith("AUTHENTICATE"));
        assertThat(commandsSentTo(Starttls.OFF)).noneMatch(c -> c.startsWith("STARTTLS"))
                .anyMatch(c -> c.startsWith("LOGIN") || c.startsWith("AUTHENTICATE"));
    }

    /**
     * The commands (tags stripped) the reader sends to a scripted IMAP server announcing STARTTLS, which refuses
     * STARTTLS and every login: what the client would have done next is all that is looked at.
     */
    private List<String> commandsSentTo(Starttls setting) throws Exception {
        List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName(Ports.HOST))) {
            Thread script = new Thread(() -> {
                try (java.net.Socket socket = listener.accept();
                        var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                                java.nio.charset.StandardCharsets.US_ASCII));
                        var out = new java.io.PrintStream(socket.getOutputStream(), true,
                                java.nio.charset.StandardCharsets.US_ASCII)) {
                    out.print("* OK scripted IMAP ready\r\n");
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        String[] parts = line.split(" ", 2);
                        String command = parts.length > 1 ? parts[1] : parts[0];
                        commands.add(command.toUpperCase(java.util.Locale.ROOT));
                        if (command.equalsIgnoreCase("CAPABILITY")) {
                            out.print("* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\n" + parts[0] + " OK done\r\n");
                        } else {
                            out.print(parts[0] + " NO refused\r\n");
                            return;
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the client hung up first: what it sent is recorded
                }
            }, "scripted-imap");
            script.start();
            UnsubscribeMailbox reader = new UnsubscribeMailbox(subscriptions,
                    properties(mailbox(Protocol.IMAP, listener.getLocalPort(), PASSWORD, 100, setting)), meters);

            assertThatThrownBy(reader::poll).isInstanceOf(MessagingException.class);
            script.join(10_000);
            assertThat(script.isAlive()).isFalse();
        }
        assertThat(commands).as("the client asked the capabilities").contains("CAPABILITY");
        return commands;
    }

    // ---- helpers ----

    private UnsubscribeMailbox reader(int maxPerPoll) {
        return new UnsubscribeMailbox(subscriptions, properties(maxPerPoll, PASSWORD), meters);
    }

    private NotificationProperties properties(int maxPerPoll, String password) {
        return new NotificationProperties(null, null, List.of(), null, null, null, null, null, null, null,
                mailbox(Protocol.IMAP, port, password, maxPerPoll, Starttls.WHEN_OFFERED), null);
    }

    private static NotificationProperties properties(NotificationProperties.Mailbox mailbox) {
        return new NotificationProperties(null, null, List.of(), null, null, null, null, null, null, null, mailbox, null);
    }

    private static NotificationProperties.Mailbox mailbox(Protocol protocol, int port, String password,
            int maxPerPoll, Starttls starttls) {
        return new NotificationProperties.Mailbox(true, protocol, Ports.HOST, port, ADDRESS, password,
                "INBOX", Duration.ofSeconds(1), maxPerPoll, Duration.ofSeconds(5), starttls);
    }

    private List<ILoggingEvent> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    private void startServer() {
        server = new GreenMail(new ServerSetup(port, Ports.HOST, ServerSetup.PROTOCOL_IMAP));
        server.start();
        mailbox = server.setUser(ADDRESS, ADDRESS, PASSWORD);
    }

    private void stopServer() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    private void deliver(String subject) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new java.util.Properties()));
        message.setFrom(new InternetAddress("someone@example.org"));
        message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(ADDRESS));
        message.setSubject(subject);
        message.setText("hello");
        message.saveChanges();
        mailbox.deliver(message);
    }
}
