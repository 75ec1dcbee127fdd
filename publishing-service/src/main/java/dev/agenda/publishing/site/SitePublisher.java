package dev.agenda.publishing.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

import dev.agenda.publishing.event.AppliedEvent;
import dev.agenda.publishing.event.EventChange;
import dev.agenda.publishing.event.EventStore;
import dev.agenda.publishing.event.SiteEvent;

/**
 * Keeps the site in step with the events log. Changes are applied one at a time under a lock: read model, files and
 * status move together. The served directory is {@code <outputDir>/current}, a symlink to a build directory, so a
 * rebuild can fill a fresh directory while the old one is served and then swap the link in one rename.
 */
@Service
public class SitePublisher {

    private static final Logger log = LoggerFactory.getLogger(SitePublisher.class);
    private static final DateTimeFormatter BUILD_NAME = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    /** Changes closer together than this are a burst: their listings are written once the burst pauses. */
    static final Duration BURST_GAP = Duration.ofMillis(50);
    /** During a long burst, the listings still catch up at least this often. */
    static final Duration MAX_DEFERRAL = Duration.ofMillis(500);

    private final ReentrantLock lock = new ReentrantLock();
    private final EventStore store;
    private final EventLog eventLog;
    private final SiteRenderer renderer;
    private final Clock clock;
    private final Path output;
    private final ExecutorService rebuilds = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "site-rebuild");
        thread.setDaemon(true);
        return thread;
    });
    /** Deletes the directories rebuilds swapped out, off the rebuild's path. */
    private final ExecutorService cleanups = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "site-cleanup");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean rebuilding = new AtomicBoolean();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong writtenByPreviousBuilders = new AtomicLong();

    /**
     * Written under the lock; a concurrent map because a rebuild reads it without the lock (see
     * {@link #servedIfSame}).
     */
    private Map<String, AppliedEvent> state;
    private Map<String, SiteEvent> live;
    private SiteBuilder builder;
    private volatile SiteStatus.LastChange lastChange;
    private final java.util.concurrent.atomic.LongAdder applyNanos = new java.util.concurrent.atomic.LongAdder();
    private volatile SiteStatus.Rebuild lastRebuild;
    /** The last change whose listings wait for {@link #flushDeferred} (null: none waits); guarded by the lock. */
    private SiteStatus.LastChange deferredChange;
    /** Whether a change waits, read without the lock by {@link #flushDeferred}. */
    private volatile boolean deferred;
    private long deferredSinceNanos;
    private long lastApplyNanos;
    private final long burstGapNanos;
    private final long maxDeferralNanos;

    /** The part of the status that lives behind the lock, copied at the end of every locked change. */
    private record Snapshot(int eventsLive, long pagesWritten, String siteDirectory) {
    }

    /**
     * Read by {@link #status()} without the lock: a status request or a metrics scrape never waits for a change being
     * applied or a rebuild's catch-up.
     */
    private volatile Snapshot snapshot;

    @Autowired
    public SitePublisher(EventStore store, EventLog eventLog, SiteProperties properties, Clock clock) {
        this(store, eventLog, properties, clock, BURST_GAP, MAX_DEFERRAL);
    }

    /** With other burst settings: a zero gap applies every change at once, as a test may need. */
    SitePublisher(EventStore store, EventLog eventLog, SiteProperties properties, Clock clock, Duration burstGap,
            Duration maxDeferral) {
        this.burstGapNanos = burstGap.toNanos();
        this.maxDeferralNanos = maxDeferral.toNanos();
        this.lastApplyNanos = System.nanoTime() - burstGapNanos;
        this.store = store;
        this.eventLog = eventLog;
        this.renderer = new SiteRenderer(properties);
        renderer.warmUp();
        this.clock = clock;
        this.output = properties.outputDir().toAbsolutePath().normalize();
        initialise();
    }

    /** Loads the read model and brings the served directory up to date with it (only changed files are written). */
    private void initialise() {
        state = new ConcurrentHashMap<>();
        store.findAll().forEach(a -> state.put(a.eventId(), a));
        live = liveOf(state);
        Path current = currentLink();
        try {
            Files.createDirectories(output.resolve("builds"));
            if (Files.isDirectory(current)) {
                builder = new SiteBuilder(renderer, current.toRealPath());
                builder.deletedUpTo(latestDeletion(state));
                builder.buildAll(live.values(), clock.instant());
            } else {
                builder = SiteBuilder.unpublished(renderer, newBuildDirectory());
                builder.deletedUpTo(latestDeletion(state));
                builder.buildAll(live.values(), clock.instant());
                builder.published();
                swapTo(builder.root());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the site directory " + output, e);
        }
        deleteOtherBuilds(builder.root());
        deleteTemporaryFilesLeft(builder.root());
        publishSnapshot();
        log.info("Site at {} serving {} events", current, live.size());
    }

    /**
     * Build directories a previous run left behind: a rebuild cut short by a stop or a crash, or an old build whose
     * deletion after the swap did not happen. Each is a whole copy of the site, and nothing else ever removes them.
     */
    private void deleteOtherBuilds(Path served) {
        try (Stream<Path> builds = Files.list(output.resolve("builds"))) {
            for (Path build : builds.toList()) {
                if (Files.isDirectory(build, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && !build.toRealPath().equals(served.toRealPath())) {
                    log.info("Deleting the build {} a previous run left", build);
                    deleteTree(build);
                }
            }
        } catch (IOException e) {
            log.warn("Could not look for old site builds in {}", output.resolve("builds"), e);
        }
    }

    /**
     * Temporary files a kill left between their write and their rename ({@code .page.html.<token><n>.tmp} in the
     * served build, {@code .current-<uuid>.tmp} next to the link): nothing else ever removes them, and the web
     * server served the half-written pages among them to anyone who asked. No file of this process exists yet.
     */
    private void deleteTemporaryFilesLeft(Path served) {
        List<Path> roots = List.of(served, output);
        for (Path root : roots) {
            int depth = root.equals(output) ? 1 : Integer.MAX_VALUE;
            try (Stream<Path> files = Files.walk(root, depth)) {
                for (Path file : files.filter(f -> TEMPORARY.matcher(f.getFileName().toString()).matches()).toList()) {
                    if (Files.deleteIfExists(file)) {
                        log.info("Deleted {}, a temporary file a previous run left", file);
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                log.warn("Could not look for temporary files left in {}", root, e);
            }
        }
    }

    /** The names {@link AtomicFiles} and {@link #swapTo} give their temporary files; no page of the site has one. */
    private static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile("\\..+\\.tmp");

    /** Time spent applying changes (rendering and writing their files) since start. */
    public long applyNanosTotal() {
        return applyNanos.sum();
    }

    /** The directory the site is served from (a symlink that rebuilds swap). */
    public Path currentLink() {
        return output.resolve("current");
    }

    /**
     * Applies one change: its event's files, then the listings, feeds, JSON index and sitemap. In a burst (a change
     * less than {@link #BURST_GAP} after the previous one: a catch-up, an import) the listings wait for
     * {@link #flushDeferred}, which sorts and writes them once when the burst pauses, and at least every
     * {@link #MAX_DEFERRAL}: one change at a time rewrites every listing page between its old and new position, and a
     * catch-up of 10,000 events took minutes. Deferring loses nothing in a crash: the read model is saved with each
     * change, and start-up builds the listings from it.
     *
     * @return true if the change was applied, false if it was stale or a duplicate
     */
    public boolean apply(EventChange change) {
        lock.lock();
        try {
            AppliedEvent current = state.get(change.eventId());
            Optional<AppliedEvent> next = AppliedEvent.next(current, change);
            if (next.isEmpty()) {
                skipped.incrementAndGet();
                return false;
            }
            AppliedEvent after = next.get();
            SiteEvent before = current == null ? null : current.event();
            Instant now = clock.instant();
            long startNanos = System.nanoTime();
            boolean burst = deferredChange != null || startNanos - lastApplyNanos < burstGapNanos;
            lastApplyNanos = startNanos;
            long writtenBefore = builder.filesWritten();
            Instant deletedBefore = builder.deletedUpTo();
            putLive(live, after);
            try {
                if (after.deleted()) {
                    builder.deletedUpTo(SiteBuilder.later(deletedBefore, after.deletedAt()));
                }
                if (burst) {
                    builder.applyDeferred(before, after.event(), live.values());
                } else {
                    builder.apply(before, after.event(), live.values(), now);
                }
                store.save(after);
            } catch (RuntimeException failure) {
                // Leave memory and files as the store is: the record will be retried or dead-lettered. The files may
                // already show the change (the store is written last): put them back, or a dead-lettered rename
                // would leave the new page orphaned and the old one gone while the read model still has it.
                if (current == null || current.deleted()) {
                    live.remove(change.eventId());
                } else {
                    live.put(change.eventId(), current.event());
                }
                builder.deletedUpTo(deletedBefore);
                try {
                    if (burst) {
                        builder.applyDeferred(after.event(), before, live.values());
                    } else {
                        builder.apply(after.event(), before, live.values(), now);
                    }
                } catch (RuntimeException undo) {
                    failure.addSuppressed(undo);
                }
                throw failure;
            }
            state.put(after.eventId(), after);
            applyNanos.add(System.nanoTime() - startNanos);
            applied.incrementAndGet();
            log.info("Applied {} revision {} ({}): {} files written in {} ms{}", after.eventId(), after.revision(),
                    after.deleted() ? "deleted" : after.event().slug(), builder.filesWritten() - writtenBefore,
                    (System.nanoTime() - startNanos) / 1_000_000, burst ? ", listings follow" : "");
            SiteStatus.LastChange done = new SiteStatus.LastChange(after.eventId(), after.revision(),
                    after.deleted() ? "DELETED" : before == null ? "PUBLISHED" : "UPDATED", now);
            if (burst) {
                if (deferredChange == null) {
                    deferredSinceNanos = startNanos;
                }
                // The status reports it once its listings are written too.
                deferredChange = done;
                deferred = true;
            } else {
                publishSnapshot(); // before lastChange: whoever sees the change sees its counts
                lastChange = done;
            }
            return true;
        } finally {
            publishSnapshot(); // a failed change may have written files too
            lock.unlock();
        }
    }

    /**
     * Writes the listings, feeds, JSON index and sitemap of the changes applied in a burst, once it has paused for
     * {@link #BURST_GAP} or has been deferring for {@link #MAX_DEFERRAL}. Called every few tens of milliseconds.
     */
    public void flushDeferred() {
        if (!deferred) {
            return;
        }
        lock.lock();
        try {
            long now = System.nanoTime();
            if (deferredChange == null || (now - lastApplyNanos < burstGapNanos
                    && now - deferredSinceNanos < maxDeferralNanos)) {
                return;
            }
            builder.refreshListings(live.values(), clock.instant());
            publishSnapshot();
            lastChange = deferredChange;
            deferredChange = null;
            deferred = false;
        } catch (RuntimeException failure) {
            log.warn("Writing the listings of the last changes failed, will try again: {}", failure.toString());
        } finally {
            publishSnapshot();
            lock.unlock();
        }
    }

    /** Moves events whose time has passed from the upcoming to the past sections. */
    public void refreshListings() {
        lock.lock();
        try {
            builder.refreshListings(live.values(), clock.instant());
        } finally {
            publishSnapshot();
            lock.unlock();
        }
    }

    /** Call with the lock held, once the guarded state is consistent again. */
    private void publishSnapshot() {
        snapshot = new Snapshot(live.size(), writtenByPreviousBuilders.get() + builder.filesWritten(),
                builder.root().toString());
    }

    /** Starts a rebuild in the background; false if one is already running. */
    public boolean startRebuild() {
        if (!rebuilding.compareAndSet(false, true)) {
            return false;
        }
        rebuilds.execute(() -> {
            try {
                rebuild();
            } finally {
                rebuilding.set(false);
            }
        });
        return true;
    }

    private void rebuild() {
        Instant started = clock.instant();
        long[] records = {0};
        Path directory = null;
        try (EventLog.Replay replay = eventLog.replay()) {
            long replayFrom = System.nanoTime();
            Map<String, AppliedEvent> fresh = new ConcurrentHashMap<>();
            replay.readToEnd(change -> {
                records[0]++;
                AppliedEvent.next(fresh.get(change.eventId()), change)
                        .ifPresent(a -> fresh.put(a.eventId(), servedIfSame(a)));
            });
            long buildFrom = System.nanoTime();
            directory = newBuildDirectory();
            SiteBuilder freshBuilder = SiteBuilder.unpublished(renderer, directory);
            Map<String, SiteEvent> freshLive = liveOf(fresh);
            // A deletion the log no longer holds (compacted away) still happened: the feed's date does not go back.
            freshBuilder.deletedUpTo(SiteBuilder.later(latestDeletion(fresh), builder.deletedUpTo()));
            freshBuilder.buildAll(freshLive.values(), clock.instant());
            long catchUpFrom = System.nanoTime();
            long swapFrom;
            Path previous;
            lock.lock();
            try {
                // What reached the log while the fresh directory was being written.
                replay.readToEnd(change -> {
                    records[0]++;
                    AppliedEvent current = fresh.get(change.eventId());
                    AppliedEvent.next(current, change).ifPresent(after -> {
                        fresh.put(after.eventId(), after);
                        putLive(freshLive, after);
                        if (after.deleted()) {
                            freshBuilder.deletedUpTo(SiteBuilder.later(freshBuilder.deletedUpTo(), after.deletedAt()));
                        }
                        freshBuilder.apply(current == null ? null : current.event(), after.event(),
                                freshLive.values(), clock.instant());
                    });
                });
                swapFrom = System.nanoTime();
                keepLatestDeletion(state, fresh, freshBuilder.deletedUpTo());
                store.reconcile(state, fresh);
                previous = builder.root();
                freshBuilder.published();
                swapTo(directory);
                writtenByPreviousBuilders.addAndGet(builder.filesWritten());
                builder = freshBuilder;
                state = fresh;
                live = freshLive;
                publishSnapshot();
                if (deferredChange != null) {
                    // Its record was in the log the fresh build replayed: its listings are in the new directory.
                    lastChange = deferredChange;
                    deferredChange = null;
                    deferred = false;
                }
            } finally {
                lock.unlock();
            }
            long swapped = System.nanoTime();
            lastRebuild = new SiteStatus.Rebuild(started, clock.instant(), "SUCCEEDED", records[0], freshLive.size(),
                    freshBuilder.filesWritten(), directory.toString(), null);
            log.info("Site rebuilt from {} records into {}: replay {} ms, build {} ms, catch-up {} ms, swap {} ms",
                    records[0], directory, millis(buildFrom - replayFrom), millis(catchUpFrom - buildFrom),
                    millis(swapFrom - catchUpFrom), millis(swapped - swapFrom));
            if (!previous.equals(directory)) {
                // Nobody reads the old directory once the link is swapped: the next rebuild need not wait for it.
                cleanups.execute(() -> deleteTree(previous));
            }
        } catch (RuntimeException | IOException failure) {
            log.error("Site rebuild failed", failure);
            lastRebuild = new SiteStatus.Rebuild(started, clock.instant(), "FAILED", records[0], 0, 0,
                    directory == null ? null : directory.toString(), String.valueOf(failure.getMessage()));
            if (directory != null && !directory.equals(builder.root())) {
                deleteTree(directory);
            }
        }
    }

    /**
     * The state the site serves for this event if it equals {@code replayed}, else {@code replayed}: a rebuild then
     * holds the events it finds unchanged (nearly all of them) once, not a second copy of the whole agenda next to
     * the one being served until the swap. The copy decoded from the log is garbage at once.
     */
    private AppliedEvent servedIfSame(AppliedEvent replayed) {
        AppliedEvent served = state.get(replayed.eventId());
        return replayed.equals(served) ? served : replayed;
    }

    /** Never takes the lock (see {@link #snapshot}): counts may be one change behind the one being applied. */
    public SiteStatus status() {
        Snapshot current = snapshot;
        return new SiteStatus(applied.get(), skipped.get(), current.eventsLive(), current.pagesWritten(), lastChange,
                lastRebuild, rebuilding.get(), current.siteDirectory());
    }

    private Path newBuildDirectory() throws IOException {
        Path dir = output.resolve("builds").resolve(BUILD_NAME.format(clock.instant()) + "-"
                + UUID.randomUUID().toString().substring(0, 8));
        return Files.createDirectories(dir);
    }

    /** Points {@code current} at {@code directory} with one rename of a fresh symlink over the old one. */
    private void swapTo(Path directory) throws IOException {
        Path link = currentLink();
        Path temp = output.resolve(".current-" + UUID.randomUUID() + ".tmp");
        Files.createSymbolicLink(temp, output.relativize(directory));
        try {
            Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete old site build {}", root, e);
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static Map<String, SiteEvent> liveOf(Map<String, AppliedEvent> state) {
        Map<String, SiteEvent> live = new LinkedHashMap<>();
        state.values().stream().filter(a -> !a.deleted()).forEach(a -> live.put(a.eventId(), a.event()));
        return live;
    }

    /**
     * A deletion compacted out of the log (its event's records gone, then its tombstone) is not replayed, and the read
     * model would lose it with the rest: the feed's date, carried over by the rebuild, would go back at the next
     * start. The deletion holding that date keeps its document (a deleted event, nothing live).
     */
    private static void keepLatestDeletion(Map<String, AppliedEvent> stored, Map<String, AppliedEvent> fresh,
            Instant deletedUpTo) {
        if (deletedUpTo == null || deletedUpTo.equals(latestDeletion(fresh))) {
            return;
        }
        stored.values().stream()
                .filter(applied -> applied.deleted() && deletedUpTo.equals(applied.deletedAt())
                        && !fresh.containsKey(applied.eventId()))
                .findFirst().ifPresent(applied -> fresh.put(applied.eventId(), applied));
    }

    private static Instant latestDeletion(Map<String, AppliedEvent> state) {
        Instant latest = null;
        for (AppliedEvent applied : state.values()) {
            latest = SiteBuilder.later(latest, applied.deletedAt());
        }
        return latest;
    }

    private static void putLive(Map<String, SiteEvent> live, AppliedEvent after) {
        if (after.deleted()) {
            live.remove(after.eventId());
        } else {
            live.put(after.eventId(), after.event());
        }
    }
}
