import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.agenda.publishing.event.SiteEvent;
import dev.agenda.schemas.Access;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;
import dev.agenda.schemas.Image;
import dev.agenda.schemas.InfoField;
import dev.agenda.schemas.Location;
import dev.agenda.schemas.Topics;
import dev.agenda.schemas.serde.ConfluentAvroSerializer;

/**
 * The full rebuild as a site operator runs it: {@code POST /api/site/rebuild} on a running publishing-service that has
 * applied N events from {@code agenda.events} (the same synthetic events as {@link SiteBench}), timed from the request
 * to the swap, with the service's CPU time and its peak RSS during the rebuild.
 *
 * <pre>
 *   java ServiceRebuild publish N BOOTSTRAP REGISTRY_URL     publish the N events
 *   java ServiceRebuild rebuild N SERVICE_URL PID ROUNDS     wait until N events are live, then rebuild ROUNDS times
 * </pre>
 * The admin password comes from AGENDA_ADMIN_PASSWORD. Prints one {@code rebuild ...} line per round.
 */
public final class ServiceRebuild {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        switch (args[0]) {
            case "publish" -> publish(SiteBench.generate(n), args[2], args[3]);
            case "rebuild" -> rebuild(n, args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void publish(List<SiteEvent> events, String bootstrap, String registry) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put("schema.registry.url", registry);
        config.put("auto.register.schemas", "true");
        ConfluentAvroSerializer<EventPublished> values = new ConfluentAvroSerializer<>();
        values.configure(config, false);
        // The registry's first registration can time out on its H2 lock while it is still settling: try again.
        for (int attempt = 1; ; attempt++) {
            try {
                values.serialize(Topics.EVENTS.name(), message(events.get(0)));
                break;
            } catch (RuntimeException e) {
                if (attempt == 10) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
        try (KafkaProducer<String, EventPublished> producer = new KafkaProducer<>(config, new StringSerializer(),
                values)) {
            for (SiteEvent e : events) {
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), e.eventId(), message(e)));
            }
            producer.flush();
        }
        System.out.println("published " + events.size());
    }

    /** What the event-service would publish for this event (the inverse of the service's EventMessages). */
    private static EventPublished message(SiteEvent e) {
        return EventPublished.newBuilder().setEventId(e.eventId()).setRevision(e.revision())
                .setStatus(e.cancelled() ? EventStatus.CANCELLED : EventStatus.SCHEDULED).setSlug(e.slug())
                .setTitle(e.title()).setLead(e.lead()).setPrimaryCategory(e.primaryCategory())
                .setCategories(e.categories()).setTags(e.tags())
                .setImages(e.images().stream().map(i -> Image.newBuilder().setUrl(i.url()).setCaption(i.caption())
                        .setAltText(i.altText()).build()).toList())
                .setStartsAt(e.startsAt()).setEndsAt(e.endsAt()).setTimeZone(e.timeZone())
                .setLocation(e.location() == null ? null : Location.newBuilder().setName(e.location().name())
                        .setAddress(e.location().address()).setOnline(e.location().online())
                        .setShowMap(e.location().showMap()).build())
                .setAccess(e.access().stream().map(a -> Access.newBuilder().setType(a.type())
                        .setLines(a.lines()).build()).toList())
                .setInfos(e.infos().stream().map(i -> InfoField.newBuilder().setLabel(i.label())
                        .setContent(i.content()).setLink(i.link()).build()).toList())
                .setBody(e.body()).setFirstPublishedAt(e.firstPublishedAt()).setUpdatedAt(e.updatedAt()).build();
    }

    private static void rebuild(int n, String service, long pid, int rounds) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + System.getenv("AGENDA_ADMIN_PASSWORD"))
                .getBytes(StandardCharsets.UTF_8));
        long waitStart = System.nanoTime();
        String status = status(service, auth);
        while (number(status, "eventsLive") < n) {
            if (System.nanoTime() - waitStart > Duration.ofMinutes(20).toNanos()) {
                throw new IllegalStateException("not all events applied: " + status);
            }
            Thread.sleep(500);
            status = status(service, auth);
        }
        System.out.printf("applied %d events incrementally in %.1f s (after publishing)%n", n,
                (System.nanoTime() - waitStart) / 1e9);
        List<String> lines = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            String before = rebuildOf(status(service, auth));
            // Peak RSS from here on: the kernel resets VmHWM to the current RSS.
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
            long rssBefore = kb(pid, "VmRSS");
            double cpuBefore = cpuSeconds(pid);
            long start = System.nanoTime();
            HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(URI.create(service + "/api/site/rebuild"))
                    .header("Authorization", auth).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() != 202) {
                throw new IllegalStateException("rebuild answered " + started.statusCode() + ": " + started.body());
            }
            String after = status(service, auth);
            while (after.contains("\"rebuilding\":true") || rebuildOf(after).equals(before)) {
                Thread.sleep(20);
                after = status(service, auth);
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = cpuSeconds(pid) - cpuBefore;
            String rebuild = rebuildOf(after);
            if (!rebuild.contains("SUCCEEDED")) {
                throw new IllegalStateException("rebuild failed: " + rebuild);
            }
            Duration inService = Duration.between(Instant.parse(field(rebuild, "startedAt")),
                    Instant.parse(field(rebuild, "finishedAt")));
            String line = String.format("rebuild %d: wall %.2f s (service's own %.2f s), CPU %.2f s, RSS before %d MB, "
                    + "peak %d MB, %d records replayed, %d files", round, wall, inService.toMillis() / 1000.0, cpu,
                    rssBefore / 1024, kb(pid, "VmHWM") / 1024, number(rebuild, "recordsReplayed"),
                    number(rebuild, "filesWritten"));
            System.out.println(line);
            lines.add(line);
        }
    }

    private static String status(String service, String auth) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service + "/api/site/status")).header("Authorization", auth)
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String rebuildOf(String status) {
        Matcher m = Pattern.compile("\"lastRebuild\":(\\{[^}]*\\}|null)").matcher(status);
        return m.find() ? m.group(1) : "null";
    }

    private static long number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException(name + " missing in " + json);
        }
        return m.group(1);
    }

    private static long kb(long pid, String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException(key + " not in /proc/" + pid + "/status");
    }

    /** utime + stime of the process, from /proc/PID/stat (clock ticks, 100 per second on Linux). */
    private static double cpuSeconds(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }
}
