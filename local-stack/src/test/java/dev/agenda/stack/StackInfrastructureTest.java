package dev.agenda.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.agenda.infra.Ports;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * The infrastructure part of the stack, for real: started on free ports in a temporary data directory, each
 * component answers, the stop leaves no child process, and a second start finds the data of the first.
 */
class StackInfrastructureTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"StackCheck\",\"fields\":"
            + "[{\"name\":\"id\",\"type\":\"string\"}]}";

    @TempDir
    Path dataDir;

    private LocalStack stack;

    @AfterEach
    void stopLeftovers() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    void infrastructureAnswersStopsWithoutLeftoversAndKeepsItsDataForTheNextStart() throws Exception {
        StackConfig config = new StackConfig(StackConfig.findRoot(), dataDir, freePorts(), true);
        String topic = "stack-check";
        String mailTo = "someone-" + UUID.randomUUID() + "@example.org";

        start(config);
        StackInfrastructure infra = stack.infrastructure();
        assertThat(kafkaNodes(infra)).isPositive();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>(topic, "k", "kept")).get();
        }
        try (MongoClient mongo = MongoClients.create(infra.mongoUri())) {
            mongo.getDatabase("stack_check").getCollection("things").insertOne(new Document("_id", "kept"));
        }
        HttpResponse<String> registered = post(infra.registryConfluentUrl() + "/subjects/" + topic + "-value/versions",
                "{\"schema\":" + json(SCHEMA) + "}");
        assertThat(registered.statusCode()).isEqualTo(200);
        assertThat(registered.body()).contains("\"id\"");
        sendMail(infra.smtpPort(), mailTo);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get(infra.inboxUrl() + "/api/messages").body()).contains(mailTo));
        // The notification service reads the unsubscribe mailbox there.
        assertThat(infra.imapPort()).isEqualTo(config.ports().imap());
        assertThat(Ports.accepting(infra.imapPort())).isTrue();

        List<Long> pids = new ArrayList<>(infra.pids().values());
        assertThat(pids).hasSize(4).allMatch(pid -> pid > 0);
        stopAndExpectNoChildLeft(pids);

        // The second start is the real command, in its own JVM, stopped by a signal as a Ctrl-C would.
        Process launcher = launch(config);
        try {
            String registry = "http://127.0.0.1:" + config.ports().registry() + "/apis/ccompat/v7";
            assertThat(get(registry + "/subjects").body()).contains(topic + "-value");
            assertThat(get(registry + "/schemas/ids/1").body()).contains("StackCheck");
            try (MongoClient mongo = MongoClients.create("mongodb://127.0.0.1:" + config.ports().mongo())) {
                assertThat(mongo.getDatabase("stack_check").getCollection("things").countDocuments()).isEqualTo(1);
            }
            assertThat(readAll("127.0.0.1:" + config.ports().kafka(), topic)).containsExactly("kept");
            List<ProcessHandle> children = launcher.descendants().toList();
            assertThat(children).hasSize(4);

            launcher.destroy();
            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(children).noneMatch(ProcessHandle::isAlive);
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    /** {@code LocalStack --infra-only} in a child JVM; returns once it has printed that it is ready. */
    private static Process launch(StackConfig config) throws Exception {
        StackConfig.Ports p = config.ports();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dagenda.kafka.port=" + p.kafka(), "-Dagenda.kafka.controller.port=" + p.kafkaController(),
                "-Dagenda.mongo.port=" + p.mongo(), "-Dagenda.registry.port=" + p.registry(),
                "-Dagenda.smtp.port=" + p.smtp(), "-Dagenda.inbox.port=" + p.inbox(),
                "-Dagenda.imap.port=" + p.imap()));
        String registryJar = System.getProperty(dev.agenda.infra.LocalSchemaRegistry.JAR_PROPERTY);
        if (registryJar != null) {
            command.add("-D" + dev.agenda.infra.LocalSchemaRegistry.JAR_PROPERTY + "=" + registryJar);
        }
        command.addAll(List.of(LocalStack.class.getName(), "--infra-only", "--root=" + config.rootDir(),
                "--data-dir=" + config.dataDir()));
        Path output = config.dataDir().resolve("launcher.out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the launcher exited with " + process.exitValue() + ":\n"
                        + Files.readString(output));
            }
            return Files.readString(output).contains("Agenda local stack ready in");
        });
        return process;
    }

    private void start(StackConfig config) {
        stack = new LocalStack(config, StackSecrets.load(config.dataDir(), Map.of()), System.out);
        stack.start(Map.of());
    }

    private void stopAndExpectNoChildLeft(List<Long> pids) {
        stack.stop();
        stack = null;
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("child process %d still alive after stop", pid).isFalse();
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
    }

    private static StackConfig.Ports freePorts() {
        return new StackConfig.Ports(Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(),
                Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free());
    }

    private static int kafkaNodes(StackInfrastructure infra) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            return admin.describeCluster().nodes().get().size();
        }
    }

    private static List<String> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "stack-check-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
                return !values.isEmpty();
            });
        }
        return values;
    }

    private static void sendMail(int smtpPort, String to) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", Ports.HOST);
        p.put("mail.smtp.port", Integer.toString(smtpPort));
        MimeMessage message = new MimeMessage(Session.getInstance(p));
        message.setFrom(new InternetAddress("stack@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject("stack check");
        message.setText("hello");
        Transport.send(message);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
