import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A small closed-loop load generator for the event-service admin API (run as a single-file program:
 * {@code java LoadGen.java URL USER PASSWORD CONCURRENCY SECONDS}). Each phase runs CONCURRENCY workers for SECONDS,
 * each sending its next request as soon as the previous one answered, then prints requests/s and p50/p99 latency.
 */
public class LoadGen {

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:8081";
        String user = args.length > 1 ? args[1] : "admin";
        String password = args.length > 2 ? args[2] : "bench";
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(4)).build();
        AtomicLong counter = new AtomicLong();
        long run = System.currentTimeMillis();

        System.out.printf("event-service bench: %s, %d concurrent clients, %d s per phase%n", base, concurrency,
                seconds);
        // Warm-up so the JIT and the connection pools do not count in the measure.
        phase("warm-up", client, concurrency, Math.max(3, seconds / 4), i -> create(base, auth, run, counter), false);
        phase("POST /api/events", client, concurrency, seconds, i -> create(base, auth, run, counter), true);
        phase("GET /api/events?size=20", client, concurrency, seconds, i -> HttpRequest.newBuilder(
                URI.create(base + "/api/events?size=20&page=" + (i % 5))).header("Authorization", auth)
                .timeout(Duration.ofSeconds(10)).GET().build(), true);
        phase("GET /api/events?q=bench&status=PUBLISHED", client, concurrency, seconds, i -> HttpRequest.newBuilder(
                URI.create(base + "/api/events?q=bench&status=PUBLISHED&size=20")).header("Authorization", auth)
                .timeout(Duration.ofSeconds(10)).GET().build(), true);
        System.exit(0);
    }

    static HttpRequest create(String base, String auth, long run, AtomicLong counter) {
        long n = counter.incrementAndGet();
        String body = """
                {"title": "Bench %d-%d : atelier accessibilité", "lead": "Un événement de charge",
                 "startsAt": "2031-0%d-1%dT14:00:00+02:00", "venue": "Evénement 100%% en ligne",
                 "categories": ["Webinaire"], "tags": ["bench"],
                 "infos": [{"label": "Inscription", "content": "Gratuite", "link": "https://example.org/i"}]}
                """.formatted(run, n, 1 + n % 9, n % 10);
        return HttpRequest.newBuilder(URI.create(base + "/api/events?publish=" + (n % 2 == 0)))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static void phase(String name, HttpClient client, int concurrency, int seconds, IntFunction<HttpRequest> next,
            boolean print) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Future<long[]>> results = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong statusErrors = new AtomicLong();
        long start = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            results.add(workers.submit(() -> {
                long[] latencies = new long[1 << 16];
                int count = 0;
                int i = 0;
                while (System.nanoTime() < end) {
                    HttpRequest request = next.apply(i++);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() >= 400) {
                            statusErrors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = System.nanoTime() - t0;
                }
                return Arrays.copyOf(latencies, count);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : results) {
            all.add(f.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        workers.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        if (!print) {
            return;
        }
        if (merged.length == 0) {
            System.out.printf("%-42s no successful request (%d errors)%n", name, errors.get());
            return;
        }
        System.out.printf("%-42s %8d req  %9.1f req/s  p50 %7.2f ms  p99 %7.2f ms  (HTTP >= 400: %d, I/O errors: %d)%n",
                name, merged.length, merged.length / elapsed, percentile(merged, 50) / 1e6,
                percentile(merged, 99) / 1e6, statusErrors.get(), errors.get());
    }

    static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
