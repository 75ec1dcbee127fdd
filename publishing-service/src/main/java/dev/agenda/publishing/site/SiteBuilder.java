package dev.agenda.publishing.site;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import dev.agenda.publishing.event.SiteEvent;

/**
 * The files of one site directory and what it takes to keep them up to date. An event change rewrites its page, its
 * {@code .ics}, the listing pages whose content changed (compared by the events and revisions they show, so an
 * unchanged page is not even rendered) and the site-wide files (feeds, JSON index, sitemap) if their bytes changed.
 * Not thread-safe: one caller at a time; full builds render event pages in parallel internally.
 */
public final class SiteBuilder {

    private static final List<String> ASSETS = List.of("agenda.css", "filter.js");

    private final SiteRenderer renderer;
    private final AtomicFiles files;
    private final int pageSize;
    /** Page signatures of every listing written, by listing prefix. */
    private final Map<String, List<String>> listings = new HashMap<>();
    private final Map<String, Listing> listingsByPrefix = new HashMap<>();
    /** Per-event fragments of the site-wide files, so a change re-renders one event, not all of them. */
    private final Map<String, Fragments> fragments = new ConcurrentHashMap<>();
    /** The events (and revisions) the feeds were last rendered from: same list, same feed, no need to render it. */
    private String atomSignature;
    private String calendarSignature;

    public SiteBuilder(SiteRenderer renderer, Path root) {
        this.renderer = renderer;
        this.files = new AtomicFiles(root);
        this.pageSize = Math.max(1, renderer.properties().pageSize());
    }

    public Path root() {
        return files.root();
    }

    /** Files written (created or changed) since this builder was created. */
    public long filesWritten() {
        return files.written();
    }

    /** Writes every file of the site for these events (event pages in parallel). */
    public void buildAll(Collection<SiteEvent> events, Instant now) {
        for (String asset : ASSETS) {
            files.write("assets/" + asset, renderer.asset(asset));
        }
        files.write("index.html", renderer.rootPage().getBytes(UTF_8));
        events.parallelStream().forEach(this::writeEvent);
        refreshListings(events, now);
    }

    /**
     * Applies one change: {@code before} is what the site showed (null if new), {@code after} the new state (null if
     * deleted), {@code all} every live event after the change.
     */
    public void apply(SiteEvent before, SiteEvent after, Collection<SiteEvent> all, Instant now) {
        if (before != null && (after == null || !before.slug().equals(after.slug()))) {
            files.delete(SiteRenderer.icsPath(before.slug()));
            files.delete(SiteRenderer.eventPath(before.slug()));
        }
        if (after != null) {
            writeEvent(after);
        } else if (before != null) {
            fragments.remove(before.eventId());
        }
        Map<String, Listing> affected = new LinkedHashMap<>();
        affected.put(Listing.ALL.prefix(), Listing.ALL);
        for (SiteEvent event : Stream.of(before, after).filter(Objects::nonNull).toList()) {
            SiteRenderer.types(event).forEach((key, label) -> put(affected, Listing.type(key, label)));
            SiteRenderer.labelsByKey(event.tags()).forEach((key, label) -> put(affected, Listing.theme(key, label)));
        }
        List<Listing.Entry> ordered = Listing.order(all, now);
        for (Listing listing : affected.values()) {
            refreshListing(listing, ordered.stream().filter(e -> belongs(listing, e.event())).toList());
        }
        writeSiteFiles(ordered);
    }

    /** Re-sorts every listing (events move from upcoming to past as time passes); unchanged pages are skipped. */
    public void refreshListings(Collection<SiteEvent> all, Instant now) {
        List<Listing.Entry> ordered = Listing.order(all, now);
        Map<String, Listing> present = new LinkedHashMap<>();
        Map<String, List<Listing.Entry>> members = new HashMap<>();
        present.put(Listing.ALL.prefix(), Listing.ALL);
        members.put(Listing.ALL.prefix(), ordered);
        // Labels: the smallest label of a key wins, so the heading does not depend on arrival order.
        Map<String, TreeMap<String, Boolean>> labels = new HashMap<>();
        for (Listing.Entry entry : ordered) {
            SiteRenderer.types(entry.event()).forEach((key, label) -> {
                labels.computeIfAbsent("agenda/type/" + key, k -> new TreeMap<>()).put(label, true);
                members.computeIfAbsent("agenda/type/" + key, k -> new ArrayList<>()).add(entry);
            });
            SiteRenderer.labelsByKey(entry.event().tags()).forEach((key, label) -> {
                labels.computeIfAbsent("agenda/theme/" + key, k -> new TreeMap<>()).put(label, true);
                members.computeIfAbsent("agenda/theme/" + key, k -> new ArrayList<>()).add(entry);
            });
        }
        labels.forEach((prefix, names) -> {
            String key = prefix.substring(prefix.lastIndexOf('/') + 1);
            present.put(prefix, prefix.startsWith("agenda/type/") ? Listing.type(key, names.firstKey())
                    : Listing.theme(key, names.firstKey()));
        });
        for (String gone : new ArrayList<>(listings.keySet())) {
            if (!present.containsKey(gone)) {
                refreshListing(listingsByPrefix.get(gone), List.of());
            }
        }
        present.values().forEach(listing -> refreshListing(listing, members.get(listing.prefix())));
        writeSiteFiles(ordered);
    }

    private void put(Map<String, Listing> affected, Listing listing) {
        affected.putIfAbsent(listing.prefix(), listing);
    }

    private boolean belongs(Listing listing, SiteEvent event) {
        if (listing.kind() == Listing.Kind.ALL) {
            return true;
        }
        Fragments cached = fragments.get(event.eventId());
        boolean fresh = cached != null && cached.revision() == event.revision();
        Set<String> keys = listing.kind() == Listing.Kind.TYPE
                ? (fresh ? cached.typeKeys() : SiteRenderer.typeKeys(event))
                : (fresh ? cached.themeKeys() : SiteRenderer.themeKeys(event));
        return keys.contains(listing.key());
    }

    private void writeEvent(SiteEvent event) {
        Fragments cached = fragments.get(event.eventId());
        if (cached != null && cached.revision() == event.revision() && cached.slug().equals(event.slug())) {
            return;
        }
        files.write(SiteRenderer.eventPath(event.slug()), renderer.eventPage(event).getBytes(UTF_8));
        String ics = renderer.eventIcs(event);
        if (ics != null) {
            files.write(SiteRenderer.icsPath(event.slug()), ics.getBytes(UTF_8));
        } else {
            files.delete(SiteRenderer.icsPath(event.slug()));
        }
        fragments.put(event.eventId(), new Fragments(event.revision(), event.slug(),
                ics == null ? null : CalendarWriter.veventBlock(ics), renderer.indexEntry(event),
                renderer.atomSummary(event), SiteRenderer.typeKeys(event), SiteRenderer.themeKeys(event)));
    }

    private void refreshListing(Listing listing, List<Listing.Entry> entries) {
        List<String> previous = listings.get(listing.prefix());
        if (entries.isEmpty() && listing.kind() != Listing.Kind.ALL) {
            int pages = previous == null ? 1 : previous.size();
            for (int page = 1; page <= pages; page++) {
                files.delete(listing.pagePath(page));
            }
            deleteStalePages(listing, 0);
            listings.remove(listing.prefix());
            listingsByPrefix.remove(listing.prefix());
            return;
        }
        int pageCount = Math.max(1, (entries.size() + pageSize - 1) / pageSize);
        List<String> signatures = new ArrayList<>(pageCount);
        for (int page = 1; page <= pageCount; page++) {
            List<Listing.Entry> slice = entries.subList(Math.min(entries.size(), (page - 1) * pageSize),
                    Math.min(entries.size(), page * pageSize));
            boolean hasNext = page < pageCount;
            StringBuilder signature = new StringBuilder(listing.heading()).append('|').append(hasNext);
            slice.forEach(e -> signature.append('|').append(e.signature()));
            String sig = signature.toString();
            signatures.add(sig);
            if (previous == null || page > previous.size() || !previous.get(page - 1).equals(sig)) {
                files.write(listing.pagePath(page),
                        renderer.listingPage(listing, page, slice, hasNext).getBytes(UTF_8));
            }
        }
        if (previous == null) {
            deleteStalePages(listing, pageCount);
        } else {
            for (int page = pageCount + 1; page <= previous.size(); page++) {
                files.delete(listing.pagePath(page));
            }
        }
        listings.put(listing.prefix(), signatures);
        listingsByPrefix.put(listing.prefix(), listing);
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

    private void writeSiteFiles(List<Listing.Entry> ordered) {
        StringBuilder index = new StringBuilder(ordered.size() * 400 + 32).append("{\"events\":[");
        List<String> vevents = new ArrayList<>();
        List<SiteEvent> upcoming = new ArrayList<>();
        Set<String> urls = new LinkedHashSet<>();
        urls.add("/agenda/");
        boolean first = true;
        for (Listing.Entry entry : ordered) {
            SiteEvent event = entry.event();
            Fragments cached = fragments.get(event.eventId());
            if (cached == null || cached.revision() != event.revision()) {
                writeEvent(event);
                cached = fragments.get(event.eventId());
            }
            index.append(first ? "\n" : ",\n").append(cached.json());
            first = false;
            if (entry.upcoming()) {
                if (cached.vevent() != null) {
                    vevents.add(cached.vevent());
                }
                if (upcoming.size() < renderer.properties().feedSize()) {
                    upcoming.add(event);
                }
            }
            urls.add(SiteRenderer.eventUrl(event));
        }
        index.append("\n]}\n");
        String calendarSignature = signature(ordered.stream().filter(Listing.Entry::upcoming)
                .map(Listing.Entry::event).toList());
        listings.keySet().stream().sorted().forEach(prefix -> {
            Listing listing = listingsByPrefix.get(prefix);
            for (int page = 1; page <= listings.get(prefix).size(); page++) {
                urls.add(listing.pageUrl(page));
            }
        });
        files.write("agenda/events.json", index.toString().getBytes(UTF_8));
        if (!calendarSignature.equals(this.calendarSignature)) {
            files.write("agenda/agenda.ics", renderer.calendarFeed(vevents).getBytes(UTF_8));
            this.calendarSignature = calendarSignature;
        }
        String atomSignature = signature(upcoming);
        if (!atomSignature.equals(this.atomSignature)) {
            files.write("agenda/feed.xml", renderer.atomFeed(upcoming, e -> fragments.get(e.eventId()).atomSummary())
                    .getBytes(UTF_8));
            this.atomSignature = atomSignature;
        }
        files.write("sitemap.xml", renderer.sitemap(urls).getBytes(UTF_8));
    }

    private static String signature(List<SiteEvent> events) {
        StringBuilder signature = new StringBuilder(events.size() * 24);
        events.forEach(e -> signature.append(e.eventId()).append('@').append(e.revision()).append(','));
        return signature.toString();
    }

    private record Fragments(long revision, String slug, String vevent, String json, String atomSummary,
            Set<String> typeKeys, Set<String> themeKeys) {
    }
}
