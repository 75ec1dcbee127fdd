package dev.agenda.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.mail.autoconfigure.MailProperties;

import dev.agenda.notification.NotificationProperties;

/**
 * Where the commit point sits in the SMTP dialogue, seen from a scripted server that records every byte: after the
 * whole content has reached the server (not in the client's buffer), before the end-of-data mark, which it writes
 * itself; and when it fails, the connection is dropped without the mark, so no message is accepted.
 */
class SmtpCommitPointTest {

    private static final byte[] END_OF_DATA = "\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);

    private ScriptedSmtpServer server;
    private SmtpSender sender;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedSmtpServer();
        MailProperties mail = new MailProperties();
        mail.setHost("127.0.0.1");
        mail.setPort(server.port());
        NotificationProperties properties = new NotificationProperties(null, null, List.of(), null, null, null,
                new NotificationProperties.Mail("Agenda <agenda@agenda.test>", "u@agenda.test", "agenda.test"),
                new NotificationProperties.Smtp(1, 0, Duration.ofMillis(100), Duration.ofSeconds(1),
                        Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(1)),
                null, null, null, null);
        sender = new SmtpSender(mail, properties);
    }

    @AfterEach
    void stop() throws IOException {
        sender.close();
        server.close();
    }

    private static OutgoingMail mail(String id) {
        return new OutgoingMail("ana@example.org", "Sujet", "Bonjour", "<p>Bonjour</p>", List.of(), Map.of(),
                id + "@agenda.test");
    }

    @Test
    void theCommitPointRunsOnceTheServerHasTheWholeContentAndBeforeTheEndOfData() throws Exception {
        OutgoingMail mail = mail("m1");
        AtomicBoolean reached = new AtomicBoolean();
        sender.send(mail, endOfData -> {
            // A small message fits in the client's socket buffer: unless the sender flushes it before the commit
            // point, the server sees none of it here. Its last line is the closing boundary of its multipart
            // ("--boundary--"; the size cannot be predicted exactly, boundaries are random).
            await().atMost(Duration.ofSeconds(5)).until(() -> new String(server.data(), StandardCharsets.US_ASCII)
                    .endsWith("--\r\n"));
            assertThat(server.accepted()).isZero();
            assertThat(indexOf(server.data(), END_OF_DATA)).isEqualTo(-1);
            // The mark goes out when the commit point says so, not after it returns.
            endOfData.write();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.accepted() == 1);
            reached.set(true);
        });
        assertThat(reached).isTrue();
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(new String(server.data(), StandardCharsets.UTF_8)).contains("Message-ID: <m1@agenda.test>");
    }

    @Test
    void aFailedCommitPointDropsTheConnectionWithoutTheEndOfData() throws Exception {
        assertThatThrownBy(() -> sender.send(mail("m2"), endOfData -> {
            throw new IllegalStateException("no longer ours");
        })).isInstanceOfSatisfying(MailSendException.class, e -> {
            assertThat(e.abandonedAtCommit()).isTrue();
            assertThat(e.isPermanent()).isFalse();
        });
        await().atMost(Duration.ofSeconds(5)).until(server::disconnectedInData);
        assertThat(server.accepted()).isZero();
        // No QUIT either: inside DATA the server would take it for one more line of the message.
        assertThat(new String(server.data(), StandardCharsets.US_ASCII)).doesNotContain("QUIT");

        // The next message gets a new connection and goes through.
        sender.send(mail("m3"), CommitPoint.EndOfData::write);
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void aCommitPointThatReturnsWithoutEndingTheDataAbandonsTheMessageToo() throws Exception {
        assertThatThrownBy(() -> sender.send(mail("m4"), endOfData -> { }))
                .isInstanceOfSatisfying(MailSendException.class, e -> assertThat(e.abandonedAtCommit()).isTrue());
        await().atMost(Duration.ofSeconds(5)).until(server::disconnectedInData);
        assertThat(server.accepted()).isZero();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Just enough SMTP for Angus: greeting, EHLO, MAIL, RCPT, DATA (answered 250 only after the end-of-data mark),
     * NOOP, RSET, QUIT. Records the DATA bytes of the current message, counts accepted messages, and notices a
     * connection that ends inside DATA.
     */
    private static final class ScriptedSmtpServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final Thread thread;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private int accepted;
        private boolean disconnectedInData;
        private final List<Socket> clients = new ArrayList<>();

        ScriptedSmtpServer() throws IOException {
            thread = new Thread(this::serve, "scripted-smtp");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        synchronized byte[] data() {
            return data.toByteArray();
        }

        synchronized int accepted() {
            return accepted;
        }

        synchronized boolean disconnectedInData() {
            return disconnectedInData;
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    synchronized (this) {
                        clients.add(client);
                    }
                    converse(client.getInputStream(), client.getOutputStream());
                } catch (IOException closed) {
                    // the test is over, or the client dropped the connection
                }
            }
        }

        private void converse(InputStream in, OutputStream out) throws IOException {
            reply(out, "220 scripted ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO" -> reply(out, "250-scripted\r\n250 8BITMIME");
                    case "DATA" -> {
                        synchronized (this) {
                            data.reset();
                        }
                        reply(out, "354 go ahead");
                        if (!readData(in)) {
                            synchronized (this) {
                                disconnectedInData = true;
                            }
                            return;
                        }
                        synchronized (this) {
                            accepted++;
                        }
                        reply(out, "250 accepted");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "250 OK");
                }
            }
        }

        /** @return false if the connection ended before the end-of-data mark */
        private boolean readData(InputStream in) throws IOException {
            int b;
            while ((b = in.read()) >= 0) {
                synchronized (this) {
                    data.write(b);
                    byte[] sofar = data.toByteArray();
                    if (sofar.length >= END_OF_DATA.length && indexOf(sofar, END_OF_DATA) == sofar.length
                            - END_OF_DATA.length) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    return line.toString().strip();
                }
                line.append((char) b);
            }
            return null;
        }

        private static void reply(OutputStream out, String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (this) {
                for (Socket c : clients) {
                    c.close();
                }
            }
        }
    }
}
