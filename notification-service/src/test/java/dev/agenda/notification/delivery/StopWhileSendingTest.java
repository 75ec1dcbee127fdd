package dev.agenda.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.mail.autoconfigure.MailProperties;

import dev.agenda.infra.Ports;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.notification.mail.SmtpSender;

/**
 * The service stops while a batch is being sent. The tries under way end as they would: their end of data is
 * written (COMMITTING) and the server's 250 makes them SENT — never given back, since the server may have them. The
 * deliveries of the batch not started yet are given back: PENDING again, their claims released (no lease left to wait
 * for), and the batch fails with {@link DeliveriesGivenBack} so that their orders are not acknowledged. Against a
 * scripted SMTP server that holds its answer to each end of data until the stop has been asked for.
 */
class StopWhileSendingTest extends OwnSenderTestBase {

    /** Deliveries beyond the SMTP pool's size: they wait their turn when the stop comes. */
    private static final int WAITING = 3;


    @Test
    void triesUnderWayEndAndWhatWaitsIsGivenBack() throws Exception {
        int pool = properties.smtp().concurrency();
        String eventId = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        events.apply(event(eventId, "Atelier interrompu", now), true, now);
        List<DeliveryOrder> orders = IntStream.range(0, pool + WAITING)
                .mapToObj(i -> DeliveryOrder.of(eventId, 1, NoticeKind.ANNOUNCEMENT,
                        subscriber(unique("stop") + "@example.org").id()))
                .toList();
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger accepted = new AtomicInteger();

        Throwable thrown;
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getByName(Ports.HOST))) {
            Thread server = new Thread(() -> acceptAll(listener, answer, accepted), "scripted-smtp");
            server.setDaemon(true);
            server.start();
            MailProperties mail = new MailProperties();
            mail.setHost(Ports.HOST);
            mail.setPort(listener.getLocalPort());
            DeliveryService service = serviceWith(new SmtpSender(mail, properties), published -> { });
            try {
                CompletableFuture<Void> delivering = CompletableFuture.runAsync(() -> service.deliver(orders));
                // One email per connection of the pool with its end of data written, the server holding its answer.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> store.ofEvent(eventId, DeliveryStatus.COMMITTING).size() == pool);
                service.stopSending();
                answer.countDown();
                thrown = catchThrowable(() -> delivering.get(30, TimeUnit.SECONDS));
            } finally {
                answer.countDown();
                service.stop();
            }
        }

        assertThat(thrown).hasCauseInstanceOf(DeliveriesGivenBack.class);
        assertThat(((DeliveriesGivenBack) thrown.getCause()).count()).isEqualTo(WAITING);
        assertThat(accepted.get()).isEqualTo(pool);
        assertThat(store.ofEvent(eventId, DeliveryStatus.SENT)).hasSize(pool);
        // Claimed with their batch, never tried: back to PENDING with no lease, for the next holder of their orders.
        assertThat(store.ofEvent(eventId, DeliveryStatus.PENDING)).hasSize(WAITING)
                .allSatisfy(d -> assertThat(d.leaseUntil()).isNull());
        assertThat(store.ofEvent(eventId, null)).hasSize(pool + WAITING);
    }

    private static void acceptAll(ServerSocket listener, CountDownLatch answer, AtomicInteger accepted) {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread connection = new Thread(() -> serve(socket, answer, accepted), "scripted-smtp-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException closed) {
                // the listener closed at the end of the test
            }
        }
    }

    /** Accepts every message, answering its end of data once {@code answer} is open. */
    private static void serve(Socket socket, CountDownLatch answer, AtomicInteger accepted) {
        try (socket;
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII));
                PrintStream out = new PrintStream(socket.getOutputStream(), true, StandardCharsets.US_ASCII)) {
            out.print("220 mx.example.org ESMTP\r\n");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String command = line.toUpperCase(Locale.ROOT);
                if (command.startsWith("EHLO")) {
                    out.print("250-mx.example.org\r\n250 ENHANCEDSTATUSCODES\r\n");
                } else if (command.equals("DATA")) {
                    out.print("354 End data with <CR><LF>.<CR><LF>\r\n");
                    for (String data = in.readLine(); data != null && !data.equals("."); data = in.readLine()) {
                        // the message, not kept
                    }
                    if (!answer.await(60, TimeUnit.SECONDS)) {
                        return;
                    }
                    accepted.incrementAndGet();
                    out.print("250 2.0.0 Ok: queued\r\n");
                } else if (command.startsWith("QUIT")) {
                    out.print("221 2.0.0 Bye\r\n");
                    return;
                } else {
                    out.print("250 2.0.0 Ok\r\n");
                }
            }
        } catch (IOException | InterruptedException closed) {
            // the sender hung up, or the test ended
        }
    }
}
