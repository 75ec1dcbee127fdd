package dev.agenda.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import jakarta.activation.DataHandler;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

class LocalComponentsTest {

    @TempDir
    Path dir;

    @Test
    void kafkaKeepsItsDataAcrossARestartAndLeavesNoProcessBehind() throws Exception {
        LocalKafka kafka = new LocalKafka(dir.resolve("kafka"), Ports.free(), Ports.free(), dir.resolve("kafka.log"));
        kafka.start();
        long pid = kafka.pid();
        try {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "before restart")).get();
            }
            kafka.stop();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

            kafka.start();

            assertThat(readAll(kafka.bootstrapServers(), "kept")).containsExactly("before restart");
        } finally {
            long restartedPid = kafka.pid();
            kafka.stop();
            assertThat(ProcessHandle.of(restartedPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    private static List<String> readAll(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    @Test
    void mongoWithTheH2BackendKeepsItsDataAcrossARestartAndAnswersPing() {
        int port = Ports.free();
        Path file = dir.resolve("mongo/agenda.mv");
        LocalMongo mongo = new LocalMongo(port, file, dir.resolve("mongo.log")).start();
        try {
            try (MongoClient client = MongoClients.create(mongo.uri())) {
                client.getDatabase("agenda_test").getCollection("things").insertOne(new Document("_id", "kept"));
            }
            mongo.stop();
            mongo.start();
            try (MongoClient client = MongoClients.create(mongo.uri())) {
                assertThat(client.getDatabase("agenda_test").runCommand(new Document("ping", 1)).get("ok"))
                        .isIn(1, 1.0);
                assertThat(client.getDatabase("agenda_test").getCollection("things").countDocuments()).isEqualTo(1);
            }
        } finally {
            mongo.stop();
        }
    }

    @Test
    void smtpSinkShowsWhatWasSentAndKeepsItThroughAnOutage() throws Exception {
        LocalSmtpSink sink = new LocalSmtpSink(Ports.free(), Ports.free(), dir.resolve("smtp.log")).start();
        try {
            send(sink.smtpPort(), "first@example.org", "Première annonce");

            List<Map<String, Object>> messages = sink.messages();
            assertThat(messages).hasSize(1);
            Map<String, Object> message = messages.get(0);
            assertThat(message.get("to")).isEqualTo(List.of("first@example.org"));
            assertThat(message.get("subject")).isEqualTo("Première annonce");
            assertThat(message.get("text").toString()).contains("Bonjour");
            assertThat(message.get("html").toString()).contains("<p>Bonjour</p>");
            assertThat((List<?>) message.get("headers")).anySatisfy(h ->
                    assertThat(((Map<?, ?>) h).get("name")).isEqualTo("List-Unsubscribe"));
            assertThat((List<?>) message.get("attachments")).singleElement().satisfies(a -> {
                assertThat(((Map<?, ?>) a).get("fileName")).isEqualTo("evenement.ics");
                assertThat(((Map<?, ?>) a).get("contentType").toString()).startsWith("text/calendar");
            });

            sink.stopSmtp();
            assertThatThrownBy(() -> send(sink.smtpPort(), "down@example.org", "Refusé"))
                    .isInstanceOf(MessagingException.class);
            sink.startSmtp();
            send(sink.smtpPort(), "second@example.org", "Après la panne");

            assertThat(sink.messages()).extracting(m -> m.get("subject"))
                    .containsExactly("Première annonce", "Après la panne");
            assertThat(sink.messagesTo("second@example.org")).hasSize(1);
            sink.clear();
            assertThat(sink.messages()).isEmpty();
        } finally {
            sink.stop();
        }
    }

    @Test
    void theUnsubscribeAddressHasAnImapMailboxWithItsPassword() throws Exception {
        LocalSmtpSink sink = new LocalSmtpSink(Ports.free(), Ports.free(), Ports.free(), dir.resolve("imap.log"))
                .start();
        try {
            send(sink.smtpPort(), LocalSmtpSink.UNSUBSCRIBE_ADDRESS, "unsubscribe abc.def");
            send(sink.smtpPort(), "someone@example.org", "Pas pour la boîte de désabonnement");

            Store wrong = imap();
            assertThatThrownBy(() -> wrong.connect(Ports.HOST, sink.imapPort(), LocalSmtpSink.UNSUBSCRIBE_ADDRESS,
                    "not-the-password")).isInstanceOf(MessagingException.class);
            Store store = imap();
            store.connect(Ports.HOST, sink.imapPort(), LocalSmtpSink.UNSUBSCRIBE_ADDRESS,
                    LocalSmtpSink.mailboxPassword());
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_WRITE);
                assertThat(inbox.getMessages()).extracting(Message::getSubject).containsExactly("unsubscribe abc.def");
                inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true);
                inbox.close(true);
            } finally {
                store.close();
            }
            // What the mailbox's reader deleted is gone from the JSON inbox too; the rest is as it was.
            assertThat(sink.messages()).extracting(m -> m.get("subject"))
                    .containsExactly("Pas pour la boîte de désabonnement");
        } finally {
            sink.stop();
        }
    }

    @Test
    void theInboxKeepsTheLatestMessagesUpToItsCapButNeverDropsUnsubscribeRequests() throws Exception {
        LocalSmtpSink sink = new LocalSmtpSink(Ports.free(), Ports.free(), Ports.free(), dir.resolve("capped.log"), 3)
                .start();
        try {
            send(sink.smtpPort(), "one@example.org", "Un");
            sink.stopSmtp(); // what GreenMail held is archived; the cap covers the archive too
            sink.startSmtp();
            send(sink.smtpPort(), LocalSmtpSink.UNSUBSCRIBE_ADDRESS, "unsubscribe abc.def");
            for (String subject : List.of("Deux", "Trois", "Quatre")) {
                send(sink.smtpPort(), "other@example.org", subject);
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sink.messages())
                    .extracting(m -> m.get("subject"))
                    .containsExactlyInAnyOrder("Trois", "Quatre", "unsubscribe abc.def"));
        } finally {
            sink.stop();
        }
    }

    private static Store imap() throws MessagingException {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "2000");
        props.put("mail.imap.timeout", "5000");
        return Session.getInstance(props).getStore("imap");
    }

    private static void send(int port, String to, String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", Ports.HOST);
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.connectiontimeout", "2000");
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("agenda@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject, "UTF-8");
        message.setHeader("List-Unsubscribe", "<https://example.org/u/1>");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Bonjour", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>Bonjour</p>", "text/html; charset=UTF-8");
        MimeMultipart alternative = new MimeMultipart("alternative", text, html);
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(alternative);
        MimeBodyPart ics = new MimeBodyPart();
        ics.setDataHandler(new DataHandler(new ByteArrayDataSource(
                "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".getBytes(StandardCharsets.UTF_8), "text/calendar; method=PUBLISH")));
        ics.setFileName("evenement.ics");
        message.setContent(new MimeMultipart("mixed", body, ics));
        Transport.send(message);
    }
}
