import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Publish → page on the site, and publish → first announcement in the SMTP sink, over N publications against a
 * running local stack. Prints p50/p99 of both. Single-file program: {@code java Latency.java N}.
 * Environment: EVENTS_URL, SITE_URL, NOTIFICATIONS_URL, INBOX_URL, AGENDA_ADMIN_PASSWORD.
 */
public class Latency {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        String events = env("EVENTS_URL", "http://127.0.0.1:8081");
        String site = env("SITE_URL", "http://127.0.0.1:8083");
        String notifications = env("NOTIFICATIONS_URL", "http://127.0.0.1:8082");
        String inbox = env("INBOX_URL", "http://127.0.0.1:8025");
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + System.getenv("AGENDA_ADMIN_PASSWORD"))
                .getBytes(StandardCharsets.UTF_8));
        String subscriber = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        String tag = "bench" + UUID.randomUUID().toString().substring(0, 6);

        send(post(notifications + "/api/subscriptions", "{\"email\":\"" + subscriber + "\",\"tags\":[\"" + tag + "\"]}", null));
        String confirm = waitFor(() -> firstLink(get(inbox + "/api/messages?to=" + enc(subscriber)), "confirm"), 30_000);
        send(HttpRequest.newBuilder(URI.create(confirm)).POST(HttpRequest.BodyPublishers.noBody()).build());

        List<Long> toPage = new ArrayList<>();
        List<Long> toMail = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String title = "Latence " + tag + " " + i;
            OffsetDateTime start = OffsetDateTime.now().plusDays(5 + i % 30).withNano(0);
            long t0 = System.nanoTime();
            HttpResponse<String> created = send(post(events + "/api/events?publish=true", """
                    {"title":"%s","tags":["%s"],"startsAt":"%s","endsAt":"%s","venue":"Paris"}
                    """.formatted(title, tag, start, start.plusHours(1)), auth));
            if (created.statusCode() != 201) {
                throw new IllegalStateException("create answered " + created.statusCode() + ": " + created.body());
            }
            String slug = created.body().replaceAll(".*\"slug\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            long page = -1;
            long mail = -1;
            while (page < 0 || mail < 0) {
                if (System.nanoTime() - t0 > 60_000_000_000L) {
                    throw new IllegalStateException("no page or mail within 60 s for " + title);
                }
                if (page < 0 && get(site + "/agenda/" + slug + "/").statusCode() == 200) {
                    page = System.nanoTime() - t0;
                }
                if (mail < 0 && get(inbox + "/api/messages?to=" + enc(subscriber)).body().contains(title)) {
                    mail = System.nanoTime() - t0;
                }
                Thread.sleep(5);
            }
            toPage.add(page);
            toMail.add(mail);
        }
        report("publish -> page on disk", toPage);
        report("publish -> first announcement in the sink", toMail);
    }

    static void report(String name, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("%-44s n=%d  p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms%n", name, sorted.size(),
                sorted.get((int) (sorted.size() * 0.50)) / 1e6,
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6);
    }

    interface Probe {
        String get() throws Exception;
    }

    static String waitFor(Probe probe, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            String value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("timed out");
    }

    static String firstLink(HttpResponse<String> inbox, String containing) {
        Matcher m = Pattern.compile("https?://[^\\s\"'<>\\\\]+").matcher(inbox.body());
        while (m.find()) {
            if (m.group().contains(containing)) {
                return m.group();
            }
        }
        return null;
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static HttpRequest post(String url, String json, String auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return b.build();
    }

    static HttpResponse<String> get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).build());
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
