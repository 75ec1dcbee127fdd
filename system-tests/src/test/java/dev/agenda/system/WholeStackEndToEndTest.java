package dev.agenda.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The three user journeys through public interfaces only: the stack is started as {@code ./run-local.sh} starts it
 * (the launcher jar, its own configuration), on free ports and a fresh data directory, and driven over HTTP and the
 * SMTP sink's inbox.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholeStackEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SUBSCRIBER = "ada@example.org";
    private static final Pattern LINK = Pattern.compile("https?://127\\.0\\.0\\.1:\\d+/[^\\s\"'<>]+");

    private static Path root;
    private static Path dataDir;
    private static Map<String, String> env;
    private static Process stack;
    private static String events;
    private static String notifications;
    private static String site;
    private static String inbox;
    private static String admin;

    // State carried from one step to the next.
    private static String eventId;
    private static String slug;
    private static String title;
    private static String importedPage;
    private static String importedPageBody;

    @BeforeAll
    static void startTheStack() throws Exception {
        root = Path.of(System.getProperty("agenda.root", "..")).toAbsolutePath().normalize();
        dataDir = Files.createTempDirectory(root.resolve("system-tests/target").toAbsolutePath(), "stack-");
        String password = UUID.randomUUID().toString();
        admin = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        env = new HashMap<>();
        env.put("AGENDA_ADMIN_PASSWORD", password);
        // Every port of the stack free and distinct: the kernel draws each from a few thousand, and a port closed at
        // once is free again, so nine plain draws held the same port twice about once in 160 runs (one of the stack's
        // components then failed to bind it). IMAP too: left at its default, 1143, the stack could not start while
        // anything else held it on this machine (a local stack, another run of these tests).
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (String port : List.of("KAFKA", "KAFKA_CONTROLLER", "MONGO", "REGISTRY", "SMTP", "INBOX", "IMAP",
                "EVENT_SERVICE", "NOTIFICATION_SERVICE", "PUBLISHING_SERVICE")) {
            int free = freePort();
            while (!ports.add(free)) {
                free = freePort();
            }
            env.put("AGENDA_" + port + "_PORT", Integer.toString(free));
        }
        events = "http://127.0.0.1:" + env.get("AGENDA_EVENT_SERVICE_PORT");
        notifications = "http://127.0.0.1:" + env.get("AGENDA_NOTIFICATION_SERVICE_PORT");
        site = "http://127.0.0.1:" + env.get("AGENDA_PUBLISHING_SERVICE_PORT");
        inbox = "http://127.0.0.1:" + env.get("AGENDA_INBOX_PORT");
        start();
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        stop();
    }

    private static void start() throws IOException {
        Path jar = root.resolve("local-stack/target/agenda-local-stack.jar");
        assertThat(jar).as("the launcher is built before this module").exists();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--root=" + root, "--data-dir=" + dataDir)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("launcher.out").toFile()));
        builder.environment().putAll(env);
        stack = builder.start();
        await("the stack to be up (see " + dataDir.resolve("launcher.out") + ")")
                .atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    assertThat(stack.isAlive()).as("launcher alive").isTrue();
                    return up(events) && up(notifications) && up(site);
                });
    }

    private static void stop() throws InterruptedException {
        if (stack != null && stack.isAlive()) {
            List<ProcessHandle> tree = new ArrayList<>(stack.descendants().toList());
            stack.destroy(); // SIGTERM, as Ctrl-C's shutdown path
            assertThat(stack.waitFor(90, TimeUnit.SECONDS)).as("launcher stopped").isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        }
    }

    @Test
    @Order(1)
    void theWholeCorpusImportsThroughTheAdminApi() throws Exception {
        Path corpus = Path.of(System.getProperty("agenda.corpus.dir", root.resolve("../shared/corpus/numerique-agenda").toString()));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus)) {
            files = walk.filter(p -> p.toString().endsWith(".markdown") || p.toString().endsWith(".md"))
                    .filter(p -> !p.getFileName().toString().equals("SOURCE.md")).sorted().toList();
        }
        HttpResponse<String> response = HTTP.send(multipart(events + "/api/imports/jekyll", files),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.toString()).doesNotContain("\"status\":500");
        List<String> publishedSlugs = new ArrayList<>();
        for (JsonNode file : report.path("results")) {
            assertThat(file.path("outcome").asText()).as(file.toString()).isIn("CREATED", "UPDATED", "UNCHANGED", "REJECTED");
            if (file.path("outcome").asText().equals("REJECTED")) {
                assertThat(file.path("reason").asText()).as("a rejection says why").isNotBlank();
            } else if ("PUBLISHED".equals(file.path("status").asText())) {
                publishedSlugs.add(file.path("slug").asText());
            }
        }
        assertThat(report.path("results")).hasSize(files.size());
        assertThat(publishedSlugs).as("imported published events in " + report).isNotEmpty();
        importedPage = site + "/agenda/" + publishedSlugs.get(0) + "/";
        await().atMost(Duration.ofSeconds(60)).until(() -> get(importedPage).statusCode() == 200);
        importedPageBody = get(importedPage).body();
    }

    @Test
    @Order(2)
    void aVisitorSubscribesAndConfirmsThroughTheEmailedLink() throws Exception {
        HttpResponse<String> subscribed = post(notifications + "/api/subscriptions", "{\"email\":\"" + SUBSCRIBER + "\"}",
                null);
        assertThat(subscribed.statusCode()).isEqualTo(202);

        JsonNode confirmation = await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo(SUBSCRIBER), m -> m.size() == 1)
                .get(0);
        String confirmLink = links(confirmation.path("text").asText()).stream()
                .filter(l -> l.contains("confirm")).findFirst().orElseThrow();
        assertThat(get(confirmLink).statusCode()).isEqualTo(200);
        HttpResponse<String> confirmed = HTTP.send(HttpRequest.newBuilder(URI.create(confirmLink))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(confirmed.statusCode()).isBetween(200, 303);
        clearInbox();
    }

    @Test
    @Order(3)
    void aNewEventReachesThePagesTheFeedsAndTheSubscriberOnce() throws Exception {
        title = "Rencontre de bout en bout " + UUID.randomUUID().toString().substring(0, 8);
        String traceId = UUID.randomUUID().toString().replace("-", "");
        ZonedDateTime start = ZonedDateTime.now(ZoneId.of("Europe/Paris")).plusDays(10).withHour(14).withMinute(0)
                .truncatedTo(ChronoUnit.MINUTES);
        HttpResponse<String> created = post(events + "/api/events?publish=true", """
                {"title": "%s", "lead": "Un essai de toute la chaîne", "categories": ["Meetup"], "tags": ["Test"],
                 "startsAt": "%s", "endsAt": "%s", "timeZone": "Europe/Paris", "venue": "Paris"}
                """.formatted(title, start.toOffsetDateTime(), start.plusHours(2).toOffsetDateTime()), admin,
                Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode event = JSON.readTree(created.body());
        eventId = event.path("id").asText();
        slug = event.path("slug").asText();
        String page = site + "/agenda/" + slug + "/";

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(get(page).body()).contains(title);
            assertThat(get(site + "/agenda/").body()).contains(title);
            assertThat(get(site + "/agenda/feed.xml").body()).contains(title);
            assertThat(get(site + "/agenda/agenda.ics").body()).contains(eventId);
        });
        List<JsonNode> announcements = await().atMost(Duration.ofSeconds(30))
                .until(() -> mailsTo(SUBSCRIBER), m -> !m.isEmpty());
        assertThat(announcements).singleElement().satisfies(m -> assertThat(m.path("subject").asText()).contains(title));

        // One publication, one trace: each service logged its part under the trace id of the admin's request.
        for (String service : List.of("event-service", "publishing-service", "notification-service")) {
            Path log = dataDir.resolve("logs").resolve(service + ".log");
            await("a line of " + log + " with event " + eventId + " in trace " + traceId)
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> Files.readAllLines(log).stream()
                            .anyMatch(line -> line.contains(eventId) && line.contains(traceId)));
        }
    }

    @Test
    @Order(4)
    void aNewDateUpdatesThePageAndSendsARescheduleNotice() throws Exception {
        HttpResponse<String> current = HTTP.send(HttpRequest.newBuilder(URI.create(events + "/api/events/" + eventId))
                .header("Authorization", admin).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode event = JSON.readTree(current.body());
        ZonedDateTime newStart = ZonedDateTime.now(ZoneId.of("Europe/Paris")).plusDays(20).withHour(9).withMinute(30)
                .truncatedTo(ChronoUnit.MINUTES);
        ((com.fasterxml.jackson.databind.node.ObjectNode) event).put("startsAt", newStart.toOffsetDateTime().toString());
        ((com.fasterxml.jackson.databind.node.ObjectNode) event).put("endsAt",
                newStart.plusHours(1).toOffsetDateTime().toString());
        HttpResponse<String> updated = HTTP.send(HttpRequest.newBuilder(URI.create(events + "/api/events/" + eventId))
                .header("Authorization", admin).header("Content-Type", "application/json")
                .header("If-Match", current.headers().firstValue("ETag").orElseThrow())
                .PUT(HttpRequest.BodyPublishers.ofString(event.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(get(site + "/agenda/" + slug + "/").body()).contains("9 h 30"));
        await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo(SUBSCRIBER), m -> m.size() == 2);
    }

    @Test
    @Order(5)
    void aCancellationShowsABannerAndSendsACancellationNotice() throws Exception {
        assertThat(post(events + "/api/events/" + eventId + "/cancel", "", admin).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(get(site + "/agenda/" + slug + "/").body()).containsIgnoringCase("annulé"));
        List<JsonNode> mails = await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo(SUBSCRIBER), m -> m.size() == 3);
        assertThat(mails.get(2).path("subject").asText()).containsIgnoringCase("annul");
    }

    @Test
    @Order(6)
    void aDeletedEventDisappearsFromTheSite() throws Exception {
        HttpResponse<String> deleted = HTTP.send(HttpRequest.newBuilder(URI.create(events + "/api/events/" + eventId))
                .header("Authorization", admin).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(get(site + "/agenda/" + slug + "/").statusCode()).isEqualTo(404);
            assertThat(get(site + "/agenda/").body()).doesNotContain(title);
        });
    }

    @Test
    @Order(7)
    void aRestartLosesNothingSendsNothingTwiceAndKeepsTheSite() throws Exception {
        stop();
        start();

        assertThat(get(importedPage).body()).isEqualTo(importedPageBody);
        assertThat(get(site + "/agenda/" + slug + "/").statusCode()).isEqualTo(404);
        // The sink's inbox starts empty with the stack: any mail now would be a second send.
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15))
                .until(() -> mailsTo(SUBSCRIBER), List::isEmpty);
        HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(URI.create(events + "/api/events?size=100"))
                .header("Authorization", admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(eventId);
    }

    private static boolean up(String base) {
        try {
            HttpResponse<String> health = get(base + "/actuator/health");
            return health.statusCode() == 200 && health.body().contains("\"UP\"");
        } catch (Exception e) {
            return false;
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String json, String authorization)
            throws IOException, InterruptedException {
        return post(url, json, authorization, Map.of());
    }

    private static HttpResponse<String> post(String url, String json, String authorization,
            Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> mailsTo(String address) throws IOException, InterruptedException {
        HttpResponse<String> response = get(inbox + "/api/messages?to=" + URLEncoder.encode(address, StandardCharsets.UTF_8));
        List<JsonNode> mails = new ArrayList<>();
        JSON.readTree(response.body()).forEach(mails::add);
        return mails;
    }

    private static void clearInbox() throws IOException, InterruptedException {
        HTTP.send(HttpRequest.newBuilder(URI.create(inbox + "/api/messages")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> links(String text) {
        List<String> links = new ArrayList<>();
        Matcher m = LINK.matcher(text);
        while (m.find()) {
            links.add(m.group());
        }
        return links;
    }

    private static HttpRequest multipart(String url, List<Path> files) throws IOException {
        String boundary = "agenda-" + UUID.randomUUID();
        List<byte[]> parts = new ArrayList<>();
        for (Path file : files) {
            parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                    + file.getFileName() + "\"\r\nContent-Type: text/markdown\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            parts.add(Files.readAllBytes(file));
            parts.add("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        parts.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2))
                .header("Authorization", admin)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(parts)).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
