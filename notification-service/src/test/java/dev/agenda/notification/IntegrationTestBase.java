package dev.agenda.notification;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.agenda.infra.LocalInfrastructure;
import dev.agenda.infra.LocalSmtpSink;
import dev.agenda.infra.Ports;
import dev.agenda.notification.subscription.Subscriber;
import dev.agenda.notification.subscription.SubscriberStatus;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;
import dev.agenda.schemas.Location;
import dev.agenda.schemas.Topics;
import dev.agenda.schemas.serde.ConfluentAvroSerializer;

/**
 * One Spring context for every integration test class (same configuration, so Spring's cache shares it), against
 * the real local Kafka, MongoDB, registry and GreenMail sink. Tests isolate themselves with their own addresses,
 * events and categories.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "agenda.security.admin-password=" + IntegrationTestBase.ADMIN_PASSWORD,
        "agenda.notification.token-key=test-key-0123456789-0123456789-0123456789",
        "agenda.notification.smtp.rate-per-second=50",
        "agenda.notification.smtp.concurrency=4",
        "agenda.notification.smtp.initial-backoff=200ms",
        "agenda.notification.smtp.max-backoff=2s",
        "agenda.notification.smtp.lease=10s",
        "agenda.notification.smtp.sweep-interval=1s",
        "agenda.notification.fanout.lease=30s",
        "agenda.notification.fanout.resume-interval=1s",
        "agenda.notification.rate-limit.per-client=" + IntegrationTestBase.PER_CLIENT_LIMIT,
        "agenda.notification.rate-limit.per-address=3",
        "spring.kafka.consumer.properties.metadata.max.age.ms=2000",
        "agenda.notification.unsubscribe-mailbox.enabled=true",
        "agenda.notification.unsubscribe-mailbox.poll-interval=500ms",
        "agenda.notification.unsubscribe-mailbox.timeout=5s",
        "agenda.notification.bounces.mailbox.enabled=true",
        "agenda.notification.bounces.mailbox.poll-interval=500ms",
        "agenda.notification.bounces.mailbox.timeout=5s",
})
public abstract class IntegrationTestBase {

    static final String ADMIN_PASSWORD = "test-admin-password";
    /** The mailbox the bounces of the VERP addresses bounces+…@agenda.localhost are delivered to. */
    protected static final String BOUNCE_MAILBOX = "bounces@agenda.localhost";
    /**
     * Subscription requests per client IP and minute: high enough for every test's requests from 127.0.0.1, low
     * enough for {@code SubscriptionRateLimitTest} to reach it.
     */
    static final int PER_CLIENT_LIMIT = 60;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static KafkaProducer<String, EventPublished> producer;

    @LocalServerPort
    protected int port;

    @Autowired
    protected MongoTemplate mongo;

    @Autowired
    protected KafkaListenerEndpointRegistry listeners;

    /** A test step that may throw. */
    @FunctionalInterface
    protected interface Step {
        void run() throws Exception;
    }

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        LocalInfrastructure.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
        // The sink's IMAP server holds the mailbox of the List-Unsubscribe mailto (unsubscribe@agenda.localhost).
        registry.add("agenda.notification.unsubscribe-mailbox.host", () -> Ports.HOST);
        registry.add("agenda.notification.unsubscribe-mailbox.port", () -> infra().smtp().imapPort());
        registry.add("agenda.notification.unsubscribe-mailbox.username", () -> LocalSmtpSink.UNSUBSCRIBE_ADDRESS);
        registry.add("agenda.notification.unsubscribe-mailbox.password", LocalSmtpSink::mailboxPassword);
        // And the bounce mailbox (bounces@agenda.localhost, the default base of the VERP addresses). The sink sets up
        // no such user: GreenMail creates it when the first mail for it arrives, its password the address; until then
        // the reader's logins fail (one WARN), as against a real mailbox that does not exist yet.
        registry.add("agenda.notification.bounces.mailbox.host", () -> Ports.HOST);
        registry.add("agenda.notification.bounces.mailbox.port", () -> infra().smtp().imapPort());
        registry.add("agenda.notification.bounces.mailbox.username", () -> BOUNCE_MAILBOX);
        registry.add("agenda.notification.bounces.mailbox.password", () -> BOUNCE_MAILBOX);
    }

    /**
     * Every test class of the JVM shares this database: a confirmed subscriber who wants everything (no category nor
     * tag chosen) would receive every event the classes after it publish, and their counts (the records of an event,
     * an announcement's "requested") would include it, failing or not depending on the order the classes run in.
     * Such a leftover fails the test that left it, and is removed so that it fails no other.
     */
    @AfterEach
    void leaveNoSubscriberWhoWantsEverything() {
        List<Subscriber> everything = mongo.find(Query.query(Criteria.where("status").is(SubscriberStatus.CONFIRMED)),
                Subscriber.class, "subscribers").stream().filter(s -> s.preferences().everything())
                .toList();
        if (!everything.isEmpty()) {
            mongo.remove(Query.query(Criteria.where("_id").in(everything.stream().map(Subscriber::id).toList())),
                    "subscribers");
            throw new AssertionError("confirmed subscribers who want everything left in the shared database: "
                    + everything.stream().map(Subscriber::email).toList());
        }
    }

    protected static LocalInfrastructure infra() {
        return LocalInfrastructure.shared();
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    // ---- HTTP ----

    protected String base() {
        return "http://127.0.0.1:" + port;
    }

    protected HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> admin(String method, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> subscribe(String email, List<String> categories, List<String> tags)
            throws Exception {
        String json = "{\"email\":\"" + email + "\",\"categories\":" + jsonArray(categories) + ",\"tags\":"
                + jsonArray(tags) + "}";
        return post("/api/subscriptions", "application/json", json);
    }

    private static String jsonArray(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    /** The id of the subscriber with this address, through the admin search. */
    protected String subscriberId(String email) throws Exception {
        String body = admin("GET", "/api/admin/subscribers?q=" + email, null, null).body();
        return body.replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
    }

    /**
     * A confirmed subscriber of a category of their own, and an event of that category announced to them (their
     * confirmation and the announcement received). Returns the event's id.
     */
    protected String announcedTo(String email, String title) throws Exception {
        String category = unique("cat");
        subscribeAndConfirm(email, List.of(category), List.of());
        String eventId = UUID.randomUUID().toString();
        publish(event(eventId, title, List.of(category), List.of()).build());
        awaitMessages(email, 2);
        return eventId;
    }

    /**
     * Publishes {@code v1}, then its cancellation (revision 2), while the delivery listener is paused: the
     * announcement's orders wait in Kafka until the event is cancelled. {@code whileWaiting} runs before the listener
     * resumes.
     */
    protected void cancelWhileItsAnnouncementWaits(EventPublished v1, Step whileWaiting) throws Exception {
        whileNoEmailLeaves(() -> {
            publish(v1);
            publish(EventPublished.newBuilder(v1).setRevision(2).setStatus(EventStatus.CANCELLED)
                    .setUpdatedAt(Instant.now()).build());
            awaitConsumed("agenda-notification", Topics.EVENTS.name());
            whileWaiting.run();
        });
    }

    /**
     * Runs {@code steps} with the delivery listener paused: the delivery orders they cause wait in Kafka, and are
     * consumed together once it resumes.
     */
    protected void whileNoEmailLeaves(Step steps) throws Exception {
        MessageListenerContainer deliveries = listeners.getListenerContainer("deliveries");
        deliveries.pause();
        try {
            await().atMost(Duration.ofSeconds(30)).until(deliveries::isContainerPaused);
            steps.run();
        } finally {
            deliveries.resume();
        }
    }

    /** Until the announcement of this event is SKIPPED (its event cancelled when it was due), as the admin API shows. */
    protected void awaitAnnouncementSkipped(String eventId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> admin("GET", "/api/admin/events/" + eventId
                + "/deliveries?status=SKIPPED", null, null).body().contains("ANNOUNCEMENT"));
    }

    /**
     * A confirmed subscriber of a category of their own, and an event of that category, not yet published: revision
     * 1, as {@link #event} builds it.
     */
    protected EventPublished eventForASubscriber(String email, String title) throws Exception {
        String category = unique("cat");
        subscribeAndConfirm(email, List.of(category), List.of());
        return event(UUID.randomUUID().toString(), title, List.of(category), List.of()).build();
    }

    /** Subscribes, follows the link of the confirmation email, presses the button. */
    protected void subscribeAndConfirm(String email, List<String> categories, List<String> tags) throws Exception {
        subscribe(email, categories, tags);
        Map<String, Object> mail = awaitMessages(email, 1).get(0);
        String link = firstLink(text(mail), "/subscriptions/confirm");
        String token = tokenOf(link);
        HttpResponse<String> page = get(pathOf(link));
        if (page.statusCode() != 200) {
            throw new AssertionError("confirmation page answered " + page.statusCode());
        }
        HttpResponse<String> confirmed = post("/subscriptions/confirm", "application/x-www-form-urlencoded",
                "token=" + token);
        if (confirmed.statusCode() != 200) {
            throw new AssertionError("confirmation answered " + confirmed.statusCode());
        }
        infra().smtp().messagesTo(email); // keep the inbox as is: tests count per address
    }

    /**
     * Subscribes an address that already has emails (unsubscribed since), and confirms through the link of the
     * confirmation email this sends: a new subscription of the same address.
     */
    protected void subscribeAgainAndConfirm(String email, List<String> categories) throws Exception {
        int before = messagesTo(email).size();
        subscribe(email, categories, List.of());
        Map<String, Object> mail = awaitMessages(email, before + 1).get(before);
        String token = tokenOf(firstLink(text(mail), "/subscriptions/confirm"));
        HttpResponse<String> confirmed = post("/subscriptions/confirm", "application/x-www-form-urlencoded",
                "token=" + token);
        if (confirmed.statusCode() != 200) {
            throw new AssertionError("confirmation answered " + confirmed.statusCode());
        }
    }

    // ---- mail ----

    protected static List<Map<String, Object>> messagesTo(String email) {
        return infra().smtp().messagesTo(email);
    }

    protected static List<Map<String, Object>> awaitMessages(String email, int count) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> messagesTo(email), l -> l.size() >= count);
    }

    protected static String text(Map<String, Object> mail) {
        return String.valueOf(mail.get("text"));
    }

    protected static String header(Map<String, Object> mail, String name) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> headers = (List<Map<String, Object>>) mail.get("headers");
        return headers.stream().filter(h -> name.equalsIgnoreCase(String.valueOf(h.get("name"))))
                .map(h -> String.valueOf(h.get("value"))).findFirst().orElse(null);
    }

    protected static String firstLink(String text, String path) {
        Matcher m = Pattern.compile("https?://[^\\s>]*" + Pattern.quote(path) + "\\?token=[A-Za-z0-9_.%-]+").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + path + " link in:\n" + text);
        }
        return m.group();
    }

    protected static String pathOf(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }

    protected static String tokenOf(String url) {
        String query = URI.create(url).getRawQuery();
        return URLDecoder.decode(query.substring(query.indexOf("token=") + 6), StandardCharsets.UTF_8);
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- Kafka ----

    /** A record as the event-service publishes it: revision 1, SCHEDULED, first published now, in the future. */
    protected static EventPublished.Builder event(String eventId, String title, List<String> categories,
            List<String> tags) {
        Instant now = Instant.now();
        Instant starts = now.plus(Duration.ofDays(10));
        return EventPublished.newBuilder()
                .setEventId(eventId).setRevision(1).setStatus(EventStatus.SCHEDULED)
                .setSlug("evenement-" + eventId.substring(0, 8)).setTitle(title)
                .setLead("Une rencontre pour parler de services publics numériques.")
                .setCategories(categories).setTags(tags)
                .setStartsAt(starts).setEndsAt(starts.plus(Duration.ofHours(2))).setTimeZone("Europe/Paris")
                .setLocation(Location.newBuilder().setName("Ségur").setAddress("20 avenue de Ségur, Paris")
                        .setOnline(false).setShowMap(true).build())
                .setFirstPublishedAt(now).setUpdatedAt(now);
    }

    protected static void publish(EventPublished event) {
        publish(new ProducerRecord<>(Topics.EVENTS.name(), event.getEventId(), event));
    }

    protected static synchronized void publish(ProducerRecord<String, EventPublished> record) {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra().kafka().bootstrapServers());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put("schema.registry.url", infra().registry().confluentApiUrl());
            config.put("auto.register.schemas", "true");
            ConfluentAvroSerializer<EventPublished> values = new ConfluentAvroSerializer<>();
            values.configure(config, false);
            producer = new KafkaProducer<>(config, new StringSerializer(), values);
        }
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code topic} (a dead-letter topic, read from its start) holds a record {@code which} accepts. */
    protected static void awaitDeadLettered(String topic, Predicate<ConsumerRecord<byte[], byte[]>> which) {
        try (KafkaConsumer<byte[], byte[]> dlt = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra().kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, unique("dlt-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            dlt.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                boolean found = false;
                for (ConsumerRecord<byte[], byte[]> r : dlt.poll(Duration.ofMillis(500))) {
                    found |= which.test(r);
                }
                return found;
            });
        }
    }

    /**
     * Waits until both consumer groups have committed everything on their topics: after that, whatever a record
     * was going to cause has happened.
     */
    protected static void awaitAllConsumed() {
        awaitConsumed("agenda-notification", Topics.EVENTS.name());
        awaitConsumed("agenda-delivery", Topics.DELIVERIES.name());
        // The event consumer may have produced deliveries after the delivery group looked done.
        awaitConsumed("agenda-delivery", Topics.DELIVERIES.name());
    }

    protected static void awaitConsumed(String group, String topic) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra().kafka().bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .size();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int i = 0; i < partitions; i++) {
                    latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
                }
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                        .get();
                return ends.entrySet().stream().allMatch(e -> {
                    long end = e.getValue().offset();
                    OffsetAndMetadata c = committed.get(e.getKey());
                    return end == 0 || (c != null && c.offset() >= end);
                });
            });
        }
    }
}
