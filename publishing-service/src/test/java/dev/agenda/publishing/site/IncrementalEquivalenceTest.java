package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.agenda.publishing.event.SiteEvent;

/**
 * Random change sequences with the clock mostly standing still, so changes take the sorted (incremental) path rather
 * than a re-sort; after every change the directory must equal a full build of the same events.
 */
class IncrementalEquivalenceTest {

    private static final String[] TYPES = {"Atelier", "Webinaire", "atelier"};
    private static final String[] TAGS = {"Design", "Data", "design"};

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void everyChangeLeavesTheFilesOfAFullBuild(long seed, @TempDir Path dir) throws IOException {
        Random random = new Random(seed);
        SiteRenderer renderer = new SiteRenderer(new SiteProperties(dir, "https://agenda.example", "Agenda", null, 3,
                4, List.of(), Duration.ofSeconds(60)));
        Instant now = Instant.parse("2023-06-01T12:00:00Z");
        Map<String, SiteEvent> live = new LinkedHashMap<>();
        Map<String, Long> revisions = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            SiteEvent event = event(random, "e" + i, 1);
            live.put(event.eventId(), event);
            revisions.put(event.eventId(), 1L);
        }
        SiteBuilder incremental = new SiteBuilder(renderer, dir.resolve("incremental"));
        incremental.buildAll(live.values(), now);
        int created = 8;
        for (int step = 0; step < 30; step++) {
            List<String> ids = new ArrayList<>(live.keySet());
            int kind = random.nextInt(10);
            String what;
            if (kind == 0 && !ids.isEmpty()) {
                SiteEvent gone = live.remove(ids.get(random.nextInt(ids.size())));
                incremental.apply(gone, null, live.values(), now);
                what = "delete " + gone.eventId();
            } else if (kind == 1 && revisions.size() > live.size()) {
                // Re-created: an id that was deleted comes back with a higher revision.
                String id = revisions.keySet().stream().filter(k -> !live.containsKey(k)).findFirst().orElseThrow();
                long revision = revisions.merge(id, 1L, Long::sum);
                SiteEvent back = event(random, id, revision);
                live.put(id, back);
                incremental.apply(null, back, live.values(), now);
                what = "recreate " + id;
            } else if (kind <= 3 || ids.isEmpty()) {
                SiteEvent added = event(random, "e" + created++, 1);
                live.put(added.eventId(), added);
                revisions.put(added.eventId(), 1L);
                incremental.apply(null, added, live.values(), now);
                what = "create " + added.eventId();
            } else {
                SiteEvent before = live.get(ids.get(random.nextInt(ids.size())));
                long revision = revisions.merge(before.eventId(), 1L, Long::sum);
                SiteEvent after = event(random, before.eventId(), revision);
                live.put(after.eventId(), after);
                incremental.apply(before, after, live.values(), now);
                what = "update " + before.eventId();
            }
            if (random.nextInt(15) == 0) {
                now = now.plus(Duration.ofHours(random.nextInt(200)));
                incremental.refreshListings(live.values(), now);
            }
            Path fullDir = dir.resolve("full-" + step);
            SiteBuilder full = SiteBuilder.unpublished(renderer, fullDir);
            full.buildAll(live.values(), now);
            assertThat(differences(contents(incremental.root()), contents(full.root())))
                    .as("after step %d: %s", step, what).isEmpty();
        }
    }

    private static SiteEvent event(Random random, String id, long revision) {
        Instant start = random.nextInt(10) == 0 ? null
                : Instant.parse("2023-05-01T09:00:00Z").plus(Duration.ofHours(random.nextInt(24 * 90)));
        Instant end = start == null || random.nextBoolean() ? null : start.plus(Duration.ofHours(random.nextInt(50)));
        List<String> tags = new ArrayList<>();
        for (int t = random.nextInt(3); t > 0; t--) {
            tags.add(TAGS[random.nextInt(TAGS.length)]);
        }
        return new SiteEvent(id, revision, random.nextInt(6) == 0, "slug-" + id + "-" + random.nextInt(2),
                "Titre " + random.nextInt(5), "Un *chapeau* " + id, random.nextInt(3) == 0 ? null
                        : TYPES[random.nextInt(TYPES.length)],
                random.nextBoolean() ? List.of() : List.of(TYPES[random.nextInt(TYPES.length)]), tags,
                List.of(), start, end, random.nextBoolean() ? "Europe/Paris" : "America/Cayenne",
                new SiteEvent.Location("Lieu", null, random.nextBoolean(), false), List.of(), List.of(),
                "Corps de " + id, Instant.parse("2022-01-01T00:00:00Z"),
                Instant.parse("2022-01-01T00:00:00Z").plusSeconds(revision), null);
    }

    /** Files missing, extra or different, with the first differing line of each, for a readable failure. */
    static List<String> differences(Map<String, String> actual, Map<String, String> expected) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> paths = new java.util.TreeSet<>(actual.keySet());
        paths.addAll(expected.keySet());
        for (String path : paths) {
            String a = actual.get(path);
            String e = expected.get(path);
            if (a == null) {
                out.add("missing " + path);
            } else if (e == null) {
                out.add("extra " + path);
            } else if (!a.equals(e)) {
                String[] al = a.split("\n", -1);
                String[] el = e.split("\n", -1);
                int i = 0;
                while (i < al.length && i < el.length && al[i].equals(el[i])) {
                    i++;
                }
                out.add("differs " + path + " at line " + (i + 1) + ": [" + (i < al.length ? al[i] : "<end>")
                        + "] instead of [" + (i < el.length ? el[i] : "<end>") + "]");
            }
        }
        return out;
    }

    private static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }
}
