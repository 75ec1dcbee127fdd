package dev.agenda.publishing.site;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.agenda.publishing.event.SiteEvent;

/**
 * The files of one site directory and what it takes to keep them up to date. An event change rewrites its page, its
 * {@code .ics}, the listing pages whose content changed and the site-wide files it appears in, and nothing that
 * grows with the number of events is recomputed for it: every listing is kept sorted (the change is removed and
 * re-inserted by binary search, and only the pages between its old and new positions are signed again, an unchanged
 * page is not even rendered), and the JSON index and the sitemap are split by the year events start in, so a change
 * rewrites one or two shards. The upcoming calendar and the Atom feed are rewritten only when the change is in them.
 * <p>
 * Sections (upcoming/past) are computed at one instant; until the first upcoming event ends, they stay right, and the
 * first change (or {@link #refreshListings}) after that re-sorts everything. Not thread-safe: one caller at a time;
 * full builds render pages in parallel internally.
 */
public final class SiteBuilder {

    /** At the site root, where nginx's {@code error_page 404 /404.html} and the preview server look for it. */
    static final String NOT_FOUND_PAGE = "404.html";
    private static final List<String> ASSETS = List.of("agenda.css", "filter.js", "subscribe.js");
    /** Shard of the events without a date; the others are sharded by the year they start in. */
    static final String UNDATED = "sans-date";
    /** Chronological order of a shard, stable over time (sections are not, so the shards do not use them). */
    private static final Comparator<SiteEvent> CHRONOLOGICAL = Comparator
            .comparing(SiteEvent::startsAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(SiteEvent::eventId);

    private final SiteRenderer renderer;
    private final AtomicFiles files;
    private final int pageSize;
    /** Per-event fragments of the site-wide files, so a change re-renders one event, not all of them. */
    private final Map<String, Fragments> fragments = new ConcurrentHashMap<>();
    /** Every listing written, by prefix: its entries in display order and the signature of each page written. */
    private final Map<String, ListingState> listings = new HashMap<>();
    /** The listing entry (event and section) of every live event. */
    private final Map<String, Listing.Entry> entries = new HashMap<>();
    /** Live events by shard key, in chronological order: one JSON index file and one sitemap file each. */
    private final Map<String, TreeSet<SiteEvent>> shards = new TreeMap<>();
    /** When the first upcoming event ends (null: none): after that, sections must be recomputed. */
    private Instant firstEnd;
    private boolean sorted;
    /** The events (and revisions) the Atom feed was last rendered from, and its date: same list, same feed. */
    private String atomSignature;
    /**
     * The agenda's changes that date the Atom feed (null: none): the latest deletion of an event (given), the latest
     * {@code updatedAt} of a live event and the latest end of a past one (kept as changes come, recomputed when the
     * event holding one changes).
     */
    private Instant lastDeletion;
    private Instant latestUpdate;
    private Instant latestEnd;
    private byte[][] calendarFrame;

    /** A builder for a directory that may be served already: every file is replaced atomically. */
    public SiteBuilder(SiteRenderer renderer, Path root) {
        this(renderer, new AtomicFiles(root));
    }

    private SiteBuilder(SiteRenderer renderer, AtomicFiles files) {
        this.renderer = renderer;
        this.files = files;
        this.pageSize = Math.max(1, renderer.properties().pageSize());
    }

    /**
     * A builder for a fresh directory that nobody reads until {@link #published()} (a full build before its swap):
     * files are written in place until then.
     */
    public static SiteBuilder unpublished(SiteRenderer renderer, Path root) {
        return new SiteBuilder(renderer, AtomicFiles.unpublished(root));
    }

    /** Call before the directory becomes visible to readers: from then on files are replaced atomically. */
    public void published() {
        files.published();
    }

    public Path root() {
        return files.root();
    }

    /** Files written (created or changed) since this builder was created. */
    public long filesWritten() {
        return files.written();
    }

    /**
     * The time of the latest deletion of an event, null if none is known. The Atom feed is dated by the agenda's latest
     * change, and a deletion is one: without it, deleting the most recently changed event would take the feed's
     * date back. Takes effect with the next change written.
     */
    public void deletedUpTo(Instant latest) {
        lastDeletion = latest;
    }

    public Instant deletedUpTo() {
        return lastDeletion;
    }

    /** Writes every file of the site for these events (pages rendered in parallel). */
    public void buildAll(Collection<SiteEvent> events, Instant now) {
        for (String asset : renderer.assetNames(ASSETS)) {
            files.write("assets/" + asset, renderer.asset(asset));
        }
        files.write("index.html", renderer.rootPage().getBytes(UTF_8));
        files.write(NOT_FOUND_PAGE, renderer.notFoundPage().getBytes(UTF_8));
        events.parallelStream().forEach(this::writeEvent);
        resort(events, now);
    }

    /**
     * Applies one change: {@code before} is what the site showed (null if new), {@code after} the new state (null if
     * deleted), {@code all} every live event after the change (only read when sections must be recomputed).
     */
    public void apply(SiteEvent before, SiteEvent after, Collection<SiteEvent> all, Instant now) {
        applyToEventFiles(before, after, all);
        Listing.Entry old = before == null ? null : entries.get(before.eventId());
        boolean consistent = before == null ? after == null || !entries.containsKey(after.eventId()) : old != null;
        if (!sorted || !consistent || sectionsMoved(now)) {
            resort(all, now);
            return;
        }
        try {
            applySorted(old, after, now);
        } catch (RuntimeException failure) {
            // Half-moved listings must not be trusted: the next change (or the retry) re-sorts from scratch.
            sorted = false;
            throw failure;
        }
    }

    /**
     * Applies one change to the event's own files (its page and {@code .ics}, or their removal) and leaves the
     * listings, feeds, JSON index and sitemap as they are until {@link #refreshListings}: a burst of changes (a
     * catch-up, an import) then sorts and writes them once instead of once per change.
     */
    public void applyDeferred(SiteEvent before, SiteEvent after, Collection<SiteEvent> all) {
        sorted = false;
        applyToEventFiles(before, after, all);
    }

    private void applyToEventFiles(SiteEvent before, SiteEvent after, Collection<SiteEvent> all) {
        if (before != null && (after == null || !before.slug().equals(after.slug()))
                && !ownedByAnother(before.slug(), before.eventId(), all)) {
            files.delete(SiteRenderer.icsPath(before.slug()));
            files.delete(SiteRenderer.eventPath(before.slug()));
        }
        if (after != null) {
            writeEvent(after);
        } else if (before != null) {
            fragments.remove(before.eventId());
        }
    }

    /**
     * A deleted event's slug is free to take at once, and events are keyed (so ordered) by id, not by slug: the new
     * owner's page may already be written when the old owner's deletion arrives, and must then stay. Looked up among
     * the live events, not the listings, which lag behind during a burst.
     */
    private static boolean ownedByAnother(String slug, String eventId, Collection<SiteEvent> live) {
        for (SiteEvent event : live) {
            if (event.slug().equals(slug) && !event.eventId().equals(eventId)) {
                return true;
            }
        }
        return false;
    }

    private void applySorted(Listing.Entry old, SiteEvent after, Instant now) {
        Listing.Entry neu = after == null ? null : new Listing.Entry(after, after.isUpcoming(now));
        if (old != null) {
            entries.remove(old.event().eventId());
        }
        if (neu != null) {
            entries.put(after.eventId(), neu);
            if (neu.upcoming()) {
                Instant end = end(after);
                firstEnd = firstEnd == null || end.isBefore(firstEnd) ? end : firstEnd;
            }
        }
        if (old != null && holdsALatestChangeNeuLacks(old, neu)) {
            latestChanges(entries.values()); // rare (a deletion, a date moved back): then O(N)
        } else if (neu != null) {
            noteLatestChanges(neu);
        }
        List<PageJob> jobs = new ArrayList<>();
        boolean pageCountsChanged = move(Listing.ALL.prefix(), label -> Listing.ALL, old, null, neu, null, jobs);
        Map<String, String> oldTypes = old == null ? Map.of() : SiteRenderer.types(old.event());
        Map<String, String> newTypes = neu == null ? Map.of() : SiteRenderer.types(after);
        Map<String, String> oldThemes = old == null ? Map.of() : SiteRenderer.labelsByKey(old.event().tags());
        Map<String, String> newThemes = neu == null ? Map.of() : SiteRenderer.labelsByKey(after.tags());
        for (String key : union(oldTypes, newTypes)) {
            pageCountsChanged |= move("agenda/type/" + key, label -> Listing.type(key, label),
                    oldTypes.containsKey(key) ? old : null, oldTypes.get(key),
                    newTypes.containsKey(key) ? neu : null, newTypes.get(key), jobs);
        }
        for (String key : union(oldThemes, newThemes)) {
            pageCountsChanged |= move("agenda/theme/" + key, label -> Listing.theme(key, label),
                    oldThemes.containsKey(key) ? old : null, oldThemes.get(key),
                    newThemes.containsKey(key) ? neu : null, newThemes.get(key), jobs);
        }
        render(jobs);

        Set<String> touched = new TreeSet<>();
        if (old != null) {
            String key = shardKey(old.event());
            TreeSet<SiteEvent> shard = shards.get(key);
            if (shard != null) {
                shard.remove(old.event());
                if (shard.isEmpty()) {
                    shards.remove(key);
                }
            }
            touched.add(key);
        }
        if (neu != null) {
            String key = shardKey(after);
            shards.computeIfAbsent(key, k -> new TreeSet<>(CHRONOLOGICAL)).add(after);
            touched.add(key);
        }
        touched.forEach(this::writeShard);
        writeShardIndexes();
        if (pageCountsChanged) {
            writeListingsSitemap();
        }
        if ((old != null && old.upcoming()) || (neu != null && neu.upcoming())) {
            writeCalendar();
        }
        writeAtom(now);
    }

    /**
     * Moves events whose time has passed from the upcoming to the past sections (re-sorting every listing and
     * rewriting the pages that changed); nothing to do until the first upcoming event ends.
     */
    public void refreshListings(Collection<SiteEvent> all, Instant now) {
        if (!sorted || sectionsMoved(now)) {
            resort(all, now);
        }
    }

    private boolean sectionsMoved(Instant now) {
        return firstEnd != null && now.isAfter(firstEnd);
    }

    /** The instant an upcoming event becomes past after (see {@link SiteEvent#isUpcoming}). */
    private static Instant end(SiteEvent event) {
        return event.upcomingUntil();
    }

    private static Set<String> union(Map<String, String> a, Map<String, String> b) {
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    /** Sorts every listing and every shard from scratch and writes what changed: start-up, rebuild, time passing. */
    private void resort(Collection<SiteEvent> all, Instant now) {
        sorted = false; // until the end: a failure half-way leaves the next change to re-sort again
        List<Listing.Entry> ordered = Listing.order(all, now);
        entries.clear();
        shards.clear();
        firstEnd = null;
        latestChanges(ordered);
        Map<String, ListingState> fresh = new LinkedHashMap<>();
        ListingState everything = new ListingState(Listing.ALL);
        fresh.put(Listing.ALL.prefix(), everything);
        for (Listing.Entry entry : ordered) {
            SiteEvent event = entry.event();
            entries.put(event.eventId(), entry);
            if (entry.upcoming()) {
                Instant end = end(event);
                firstEnd = firstEnd == null || end.isBefore(firstEnd) ? end : firstEnd;
            }
            shards.computeIfAbsent(shardKey(event), k -> new TreeSet<>(CHRONOLOGICAL)).add(event);
            everything.entries.add(entry);
            Fragments cached = fragment(event);
            cached.types().forEach((key, label) -> fresh.computeIfAbsent("agenda/type/" + key,
                    p -> new ListingState(null)).add(entry, label));
            cached.themes().forEach((key, label) -> fresh.computeIfAbsent("agenda/theme/" + key,
                    p -> new ListingState(null)).add(entry, label));
        }
        List<PageJob> jobs = new ArrayList<>();
        for (Map.Entry<String, ListingState> gone : listings.entrySet()) {
            if (!fresh.containsKey(gone.getKey())) {
                ListingState state = gone.getValue();
                for (int page = 1; page <= Math.max(1, state.signatures.size()); page++) {
                    files.delete(state.listing.pagePath(page));
                }
                deleteStalePages(state.listing, 0);
            }
        }
        fresh.forEach((prefix, state) -> {
            if (state.listing == null) {
                String key = prefix.substring(prefix.lastIndexOf('/') + 1);
                state.listing = prefix.startsWith("agenda/type/") ? Listing.type(key, state.label())
                        : Listing.theme(key, state.label());
            }
            ListingState previous = listings.get(prefix);
            if (previous != null) {
                state.signatures = previous.signatures;
            }
            sign(state, 1, pageCount(state), jobs);
            if (previous == null) {
                deleteStalePages(state.listing, pageCount(state));
            }
        });
        listings.clear();
        listings.putAll(fresh);
        sorted = true;
        render(jobs);

        shards.keySet().parallelStream().forEach(this::writeShard);
        deleteStaleShards();
        writeShardIndexes();
        writeListingsSitemap();
        writeCalendar();
        writeAtom(now);
    }

    /**
     * Takes {@code old} out of a listing and puts {@code neu} in (either may be null: the event was not, or is no
     * longer, in it), then signs the pages between the two positions again.
     *
     * @return true if the listing's number of pages changed (the sitemap of listings must follow)
     */
    private boolean move(String prefix, Function<String, Listing> listingOf, Listing.Entry old, String oldLabel,
            Listing.Entry neu, String newLabel, List<PageJob> jobs) {
        ListingState state = listings.get(prefix);
        if (state == null) {
            if (neu == null) {
                return false;
            }
            state = new ListingState(null);
            listings.put(prefix, state);
        }
        int pagesBefore = state.signatures.size();
        int sizeBefore = state.entries.size();
        String headingBefore = state.listing == null ? null : state.listing.heading();
        int low = Integer.MAX_VALUE;
        int high = -1;
        if (old != null) {
            int at = Collections.binarySearch(state.entries, old, Listing.ORDER);
            if (at < 0) {
                at = state.entries.indexOf(old);
            }
            if (at >= 0) {
                state.entries.remove(at);
                low = Math.min(low, at);
                high = Math.max(high, at);
            }
            state.removeLabel(oldLabel);
        }
        if (neu != null) {
            int at = Collections.binarySearch(state.entries, neu, Listing.ORDER);
            at = at < 0 ? -at - 1 : at;
            state.entries.add(at, neu);
            low = Math.min(low, at);
            high = Math.max(high, at);
            state.addLabel(newLabel);
        }
        if (state.entries.isEmpty() && state.listing != null && state.listing.kind() != Listing.Kind.ALL) {
            for (int page = 1; page <= Math.max(1, pagesBefore); page++) {
                files.delete(state.listing.pagePath(page));
            }
            listings.remove(prefix);
            return true;
        }
        state.listing = listingOf.apply(state.label());
        int pages = pageCount(state);
        if (!state.listing.heading().equals(headingBefore)) {
            sign(state, 1, pages, jobs);
        } else if (high >= 0) {
            int first = low / pageSize + 1;
            if (pages != pagesBefore && pagesBefore > 0) {
                // The last page of the shorter of the two listings gains or loses its "next page" link, even when the
                // change is on a later page.
                first = Math.min(first, Math.min(pages, pagesBefore));
            }
            // Same size: only the pages between the two positions shifted; otherwise every page after the first.
            sign(state, first, state.entries.size() == sizeBefore ? high / pageSize + 1 : pages, jobs);
        }
        return pages != pagesBefore;
    }

    private int pageCount(ListingState state) {
        return Math.max(1, (state.entries.size() + pageSize - 1) / pageSize);
    }

    /**
     * Signs pages {@code from..to} (1-based) of a listing again and queues those whose signature changed; pages beyond
     * the new count are deleted, the others keep their signature.
     */
    private void sign(ListingState state, int from, int to, List<PageJob> jobs) {
        List<Listing.Entry> all = state.entries;
        int pages = pageCount(state);
        List<String> previous = state.signatures;
        List<String> signatures = new ArrayList<>(pages);
        for (int page = 1; page <= pages; page++) {
            if ((page < from || page > to) && page <= previous.size()) {
                signatures.add(previous.get(page - 1));
                continue;
            }
            List<Listing.Entry> slice = all.subList(Math.min(all.size(), (page - 1) * pageSize),
                    Math.min(all.size(), page * pageSize));
            boolean hasNext = page < pages;
            StringBuilder signature = new StringBuilder(state.listing.heading()).append('|').append(hasNext);
            slice.forEach(e -> signature.append('|').append(e.signature()));
            String sig = signature.toString();
            signatures.add(sig);
            if (page > previous.size() || !previous.get(page - 1).equals(sig)) {
                jobs.add(new PageJob(state.listing, page, List.copyOf(slice), hasNext));
            }
        }
        for (int page = pages + 1; page <= previous.size(); page++) {
            files.delete(state.listing.pagePath(page));
        }
        state.signatures = signatures;
    }

    private void render(List<PageJob> jobs) {
        (jobs.size() > 4 ? jobs.parallelStream() : jobs.stream()).forEach(job -> files.write(
                job.listing().pagePath(job.page()),
                renderer.listingPage(job.listing(), job.page(), job.slice(), job.hasNext()).getBytes(UTF_8)));
    }

    /** Pages a previous run of the service left beyond the current count (this builder has no memory of them). */
    private void deleteStalePages(Listing listing, int pageCount) {
        Path pagesDir = files.root().resolve(listing.prefix()).resolve("page");
        if (!Files.isDirectory(pagesDir)) {
            return;
        }
        try (Stream<Path> children = Files.list(pagesDir)) {
            children.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{1,9}"))
                    .mapToInt(Integer::parseInt).filter(n -> n > pageCount && n > 1)
                    .forEach(n -> files.delete(listing.pagePath(n)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeEvent(SiteEvent event) {
        Fragments cached = fragments.get(event.eventId());
        if (cached != null && cached.revision() == event.revision() && cached.slug().equals(event.slug())) {
            return;
        }
        SiteRenderer.Rendered page = renderer.render(event);
        files.write(SiteRenderer.eventPath(event.slug()), page.html().getBytes(UTF_8));
        if (page.ics() != null) {
            files.write(SiteRenderer.icsPath(event.slug()), page.ics().getBytes(UTF_8));
        } else {
            files.delete(SiteRenderer.icsPath(event.slug()));
        }
        fragments.put(event.eventId(), new Fragments(event.revision(), event.slug(),
                page.ics() == null ? null : CalendarWriter.veventBlock(page.ics()).getBytes(UTF_8),
                renderer.indexEntry(event).getBytes(UTF_8), page.atomSummary(),
                SiteRenderer.types(event), SiteRenderer.labelsByKey(event.tags())));
    }

    /** The fragments of an event's current revision, rendering them if needed. */
    private Fragments fragment(SiteEvent event) {
        Fragments cached = fragments.get(event.eventId());
        if (cached == null || cached.revision() != event.revision()) {
            writeEvent(event);
            cached = fragments.get(event.eventId());
        }
        return cached;
    }

    /** Year the event starts in, in its own time zone. */
    static String shardKey(SiteEvent event) {
        if (event.startsAt() == null) {
            return UNDATED;
        }
        ZoneId zone = event.zone();
        return Integer.toString(event.startsAt().atZone(zone).getYear());
    }

    static String indexShardPath(String key) {
        return "agenda/events-" + key + ".json";
    }

    static String sitemapShardPath(String key) {
        return "agenda/sitemap-" + key + ".xml";
    }

    static final String LISTINGS_SITEMAP = "agenda/sitemap-listes.xml";

    /** The JSON index and the sitemap of the events of one shard (or their deletion if it became empty). */
    private void writeShard(String key) {
        TreeSet<SiteEvent> shard = shards.get(key);
        if (shard == null) {
            files.delete(indexShardPath(key));
            files.delete(sitemapShardPath(key));
            return;
        }
        List<byte[]> parts = new ArrayList<>(shard.size() * 2 + 2);
        parts.add("{\"events\":[".getBytes(UTF_8));
        byte[] first = "\n".getBytes(UTF_8);
        byte[] next = ",\n".getBytes(UTF_8);
        for (SiteEvent event : shard) {
            parts.add(parts.size() == 1 ? first : next);
            parts.add(fragment(event).json());
        }
        parts.add("\n]}\n".getBytes(UTF_8));
        files.write(indexShardPath(key), parts);
        files.write(sitemapShardPath(key), renderer.eventsSitemap(shard).getBytes(UTF_8));
    }

    /** Shard files a previous run left for years that have no event any more. */
    private void deleteStaleShards() {
        Path agenda = files.root().resolve("agenda");
        if (!Files.isDirectory(agenda)) {
            return;
        }
        try (Stream<Path> children = Files.list(agenda)) {
            children.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("events-[0-9a-z-]+\\.json|sitemap-[0-9a-z-]+\\.xml"))
                    .filter(n -> !n.equals("sitemap-listes.xml"))
                    .filter(n -> !shards.containsKey(n.substring(n.indexOf('-') + 1, n.lastIndexOf('.'))))
                    .forEach(n -> files.delete("agenda/" + n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code agenda/events.json} (the list of index shards) and {@code sitemap.xml} (a sitemap index). */
    private void writeShardIndexes() {
        List<String> indexes = new ArrayList<>();
        List<String> sitemaps = new ArrayList<>();
        sitemaps.add("/" + LISTINGS_SITEMAP);
        for (String key : shards.keySet()) {
            indexes.add("/" + indexShardPath(key));
            sitemaps.add("/" + sitemapShardPath(key));
        }
        files.write("agenda/events.json", renderer.indexManifest(indexes).getBytes(UTF_8));
        files.write("sitemap.xml", renderer.sitemapIndex(sitemaps).getBytes(UTF_8));
    }

    private void writeListingsSitemap() {
        List<String> urls = new ArrayList<>();
        listings.keySet().stream().sorted().forEach(prefix -> {
            ListingState state = listings.get(prefix);
            for (int page = 1; page <= state.signatures.size(); page++) {
                urls.add(state.listing.pageUrl(page));
            }
        });
        files.write(LISTINGS_SITEMAP, renderer.sitemap(urls).getBytes(UTF_8));
    }

    /** The upcoming events' calendar, assembled from their cached VEVENT blocks. */
    private void writeCalendar() {
        if (calendarFrame == null) {
            String[] frame = renderer.calendarFrame();
            calendarFrame = new byte[][] {frame[0].getBytes(UTF_8), frame[1].getBytes(UTF_8), frame[2].getBytes(UTF_8)};
        }
        List<byte[]> parts = new ArrayList<>();
        parts.add(calendarFrame[0]);
        for (Listing.Entry entry : listings.get(Listing.ALL.prefix()).entries) {
            if (!entry.upcoming()) {
                break; // upcoming events come first
            }
            byte[] vevent = fragment(entry.event()).vevent();
            if (vevent != null) {
                parts.add(vevent);
            }
        }
        if (parts.size() == 1) {
            parts.add(calendarFrame[2]); // no event: a calendar still needs one component
        }
        parts.add(calendarFrame[1]);
        files.write("agenda/agenda.ics", parts);
    }

    /** The Atom feed of the next upcoming events, rendered only if they (or their revisions, or its date) changed. */
    private void writeAtom(Instant now) {
        List<SiteEvent> upcoming = new ArrayList<>();
        StringBuilder signature = new StringBuilder();
        for (Listing.Entry entry : listings.get(Listing.ALL.prefix()).entries) {
            if (!entry.upcoming() || upcoming.size() >= renderer.properties().feedSize()) {
                break;
            }
            upcoming.add(entry.event());
            signature.append(entry.event().eventId()).append('@').append(entry.event().revision()).append(',');
        }
        Instant updated = agendaChangedAt();
        // An agenda without events and without a known deletion: the time the feed was first written, kept until
        // one comes (Atom requires a date).
        signature.append(updated == null ? "no change known" : updated);
        if (!signature.toString().equals(atomSignature)) {
            files.write("agenda/feed.xml", renderer.atomFeed(upcoming, e -> fragment(e).atomSummary(),
                    updated == null ? now : updated).getBytes(UTF_8));
            atomSignature = signature.toString();
        }
    }

    /**
     * The latest change of the agenda as its events tell it, which dates the Atom feed (RFC 4287: its latest
     * significant change): an event published or edited, deleted, or ended (it then leaves the upcoming events).
     * Taken from every event and not only the feed's entries, so the date never goes back when an entry leaves, and
     * from the events rather than the clock, so the same agenda gives the same feed, rebuilt or changed one by one.
     */
    private Instant agendaChangedAt() {
        return later(lastDeletion, later(latestUpdate, latestEnd));
    }

    /** Whether {@code old} gave the latest update or end, and {@code neu} (null: deleted) gives no later one. */
    private boolean holdsALatestChangeNeuLacks(Listing.Entry old, Listing.Entry neu) {
        Instant updated = old.event().updatedAt();
        boolean update = updated != null && updated.equals(latestUpdate)
                && (neu == null || neu.event().updatedAt() == null || neu.event().updatedAt().isBefore(updated));
        Instant ended = old.upcoming() ? null : end(old.event());
        Instant endedNow = neu == null || neu.upcoming() ? null : end(neu.event());
        boolean end = ended != null && ended.equals(latestEnd) && (endedNow == null || endedNow.isBefore(ended));
        return update || end;
    }

    private void latestChanges(Collection<Listing.Entry> all) {
        latestUpdate = null;
        latestEnd = null;
        all.forEach(this::noteLatestChanges);
    }

    private void noteLatestChanges(Listing.Entry entry) {
        latestUpdate = later(latestUpdate, entry.event().updatedAt());
        if (!entry.upcoming()) {
            latestEnd = later(latestEnd, end(entry.event()));
        }
    }

    /** The later of two times, either of which may be null. */
    static Instant later(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }

    /** A listing's entries in display order, the labels its events give its key, and the pages written. */
    private static final class ListingState {
        Listing listing;
        final List<Listing.Entry> entries = new ArrayList<>();
        final TreeMap<String, Integer> labels = new TreeMap<>();
        List<String> signatures = List.of();

        ListingState(Listing listing) {
            this.listing = listing;
        }

        void add(Listing.Entry entry, String label) {
            entries.add(entry);
            addLabel(label);
        }

        void addLabel(String label) {
            if (label != null) {
                labels.merge(label, 1, Integer::sum);
            }
        }

        /**
         * The spelling most of the key's events use ("Évènement" over "Evénement"), ties to the smallest so the heading
         * does not depend on arrival order; filter.js applies the same rule to the index. Null without labels.
         */
        String label() {
            String best = null;
            int most = 0;
            for (Map.Entry<String, Integer> candidate : labels.entrySet()) {
                if (candidate.getValue() > most) { // ascending order: a later label must be strictly more frequent
                    best = candidate.getKey();
                    most = candidate.getValue();
                }
            }
            return best;
        }

        void removeLabel(String label) {
            if (label != null) {
                labels.computeIfPresent(label, (l, count) -> count > 1 ? count - 1 : null);
            }
        }
    }

    private record PageJob(Listing listing, int page, List<Listing.Entry> slice, boolean hasNext) {
    }

    private record Fragments(long revision, String slug, byte[] vevent, byte[] json, String atomSummary,
            Map<String, String> types, Map<String, String> themes) {
    }
}
