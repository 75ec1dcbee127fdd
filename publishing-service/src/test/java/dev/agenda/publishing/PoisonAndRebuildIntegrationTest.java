package dev.agenda.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.agenda.infra.LocalInfrastructure;
import dev.agenda.publishing.site.SiteStatus;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Topics;

class PoisonAndRebuildIntegrationTest extends IntegrationTestBase {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheNextRecordIsApplied() throws Exception {
        String key = UUID.randomUUID().toString();
        byte[] garbage = ("not avro " + key).getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> plain = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfrastructure.shared().kafka().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            plain.send(new ProducerRecord<>(Topics.EVENTS.name(), key, garbage)).get(10, TimeUnit.SECONDS);
        }
        // Same key, so same partition: it is only applied if the poison record did not block the partition.
        EventPublished valid = event("apres-le-poison", 1).setEventId(key).build();
        send(key, valid);
        awaitApplied(key, 1, false);
        assertThat(file("agenda/apres-le-poison/index.html")).exists();

        try (KafkaConsumer<String, byte[]> dlt = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfrastructure.shared().kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-check-" + key,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            dlt.subscribe(List.of(Topics.EVENTS_DLT.name()));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : dlt.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key()) && java.util.Arrays.equals(garbage, record.value())) {
                        return true;
                    }
                }
                return false;
            });
        }
        // An operator is alerted by a metric, not by reading logs: the dead-letter sends are counted per topic.
        HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8))).build();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                http.send(metrics, HttpResponse.BodyHandlers.ofString()).body().lines()
                        .filter(line -> line.startsWith("spring_kafka_template_seconds_count{")
                                && line.contains("messaging_destination_name=\"agenda.events-dlt\"")
                                && line.contains("spring_kafka_template_name=\"deadLetterTemplate\""))
                        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))))
                .singleElement().satisfies(count -> assertThat(count).isGreaterThanOrEqualTo(1.0)));
    }

    @Test
    void theSiteIsPublicButStatusAndRebuildNeedAnAdmin() throws Exception {
        EventPublished event = event("servi-en-http", 1).build();
        publish(event);
        awaitApplied(event.getEventId(), 1, false);

        HttpResponse<String> page = get("/agenda/servi-en-http/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("Titre servi-en-http");
        assertThat(get("/agenda/servi-en-http/servi-en-http.ics", null).headers().firstValue("Content-Type")
                .orElseThrow()).startsWith("text/calendar");
        assertThat(get("/agenda/", null).statusCode()).isEqualTo(200);
        assertThat(get("/sitemap.xml", null).statusCode()).isEqualTo(200);
        assertThat(get("/agenda/../../etc/passwd", null).statusCode()).isIn(400, 404);
        // What browsers and crawlers ask for unprompted, and dead links at the top: the site's 404, not a login prompt.
        for (String missing : List.of("/favicon.ico", "/robots.txt", "/ancienne-page", "/agenda-2019.html")) {
            HttpResponse<String> answer = get(missing, null);
            assertThat(answer.statusCode()).as(missing).isEqualTo(404);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).as(missing).isEmpty();
            assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).as(missing).startsWith("text/html");
        }
        assertThat(get("/404.html", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator", null).statusCode()).isEqualTo(401);

        assertThat(get("/api/site/status", null).statusCode()).isEqualTo(401);
        assertThat(post("/api/site/rebuild", null).statusCode()).isEqualTo(401);
        HttpResponse<String> status = get("/api/site/status", "admin");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"eventsApplied\"", "\"pagesWritten\"", "\"lastChange\"");
    }

    @Test
    void rebuildReplaysTheLogIntoAFreshDirectoryAndSwapsIt() throws Exception {
        EventPublished kept = event("garde-au-rebuild", 1).build();
        EventPublished gone = event("supprime-avant-rebuild", 1).build();
        // Kept first: the two are on different partitions, and the status only tells the last change.
        publish(kept);
        awaitApplied(kept.getEventId(), 1, false);
        publish(gone);
        delete(gone.getEventId());
        awaitApplied(gone.getEventId(), 1, true);
        Path before = site().toRealPath();
        // A file only the old directory has: what is served tells which directory it is.
        Files.writeString(before.resolve("agenda/ancien-repertoire.txt"), "ancien");
        Instant requested = Instant.now();

        eventLog.close();
        try {
            HttpResponse<String> accepted = post("/api/site/rebuild", "admin");
            assertThat(accepted.statusCode()).isEqualTo(202);
            // Held at its catch-up: the fresh directory is written, the publisher's lock is taken, no swap yet.
            await().atMost(Duration.ofSeconds(30)).until(eventLog::rebuildWaiting);
            Path fresh;
            try (var builds = Files.list(before.getParent())) {
                fresh = builds.filter(b -> !b.equals(before)).filter(b -> Files.exists(
                        b.resolve("agenda/garde-au-rebuild/index.html"))).findFirst().orElseThrow();
            }
            assertThat(fresh.resolve("agenda/ancien-repertoire.txt")).doesNotExist();
            // The old directory is what HTTP serves meanwhile.
            HttpResponse<String> old = get("/agenda/ancien-repertoire.txt", null);
            assertThat(old.statusCode()).isEqualTo(200);
            assertThat(old.body()).isEqualTo("ancien");
            assertThat(get("/agenda/garde-au-rebuild/", null).body()).contains("Titre garde-au-rebuild");
            // Status answers from its snapshot though the rebuild holds the lock (it used to wait for it).
            HttpResponse<String> status = http.send(request("/api/site/status", "admin")
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("\"rebuilding\":true", before.getFileName().toString());
            assertThat(publisher.status().siteDirectory()).endsWith(before.getFileName().toString());
        } finally {
            eventLog.open();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            SiteStatus.Rebuild last = publisher.status().lastRebuild();
            return last != null && !last.startedAt().isBefore(requested.minusSeconds(1))
                    && !publisher.status().rebuilding();
        });
        SiteStatus.Rebuild last = publisher.status().lastRebuild();
        assertThat(last.outcome()).isEqualTo("SUCCEEDED");
        assertThat(last.recordsReplayed()).isGreaterThanOrEqualTo(3);
        assertThat(Files.isSymbolicLink(site())).isTrue();
        assertThat(site().toRealPath()).isNotEqualTo(before);
        // Deleted in the background once swapped out, so the rebuild does not wait for it.
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.notExists(before));
        assertThat(get("/agenda/ancien-repertoire.txt", null).statusCode()).isEqualTo(404);
        assertThat(SiteChecks.read(file("agenda/garde-au-rebuild/index.html"))).contains("Titre garde-au-rebuild");
        assertThat(file("agenda/supprime-avant-rebuild/index.html")).doesNotExist();
        assertThat(SiteChecks.read(file("agenda/index.html"))).contains("Titre garde-au-rebuild")
                .doesNotContain("Titre supprime-avant-rebuild");

        // The live consumer keeps applying into the new directory.
        publish(event("apres-le-rebuild", 1).build());
        awaitApplied(event("apres-le-rebuild", 1).build().getEventId(), 1, false);
        assertThat(file("agenda/apres-le-rebuild/index.html")).exists();
    }

    private HttpResponse<String> get(String path, String user) throws Exception {
        return http.send(request(path, user).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String user) throws Exception {
        return http.send(request(path, user).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (user != null) {
            builder.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }
}
