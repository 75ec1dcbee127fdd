package dev.agenda.publishing.site;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.agenda.publishing.event.SiteEvent;
import dev.agenda.publishing.event.Slugs;

/**
 * Turns events into the text of every kind of file of the site. Stateless apart from compiled templates, so pages can
 * be rendered in parallel.
 */
public final class SiteRenderer {

    private final SiteProperties properties;
    private final String base;
    private final SiteTemplates templates;
    private final BodyRenderer bodies;
    private final CalendarWriter calendars;
    private final AtomWriter atom;
    private final Map<String, Object> site;
    /** Absolute URL of the image for events without one (null: none), and its alternative text. */
    private final String defaultImage;
    private final String defaultImageAlt;

    public SiteRenderer(SiteProperties properties) {
        this.properties = properties;
        this.base = properties.base();
        this.defaultImage = defaultImage(properties.defaultImage(), base);
        this.defaultImageAlt = defaultImage == null || properties.defaultImage().alt() == null ? ""
                : properties.defaultImage().alt().strip();
        // Compiling the templates is the longest step of a cold start: the other libraries load meanwhile.
        CompletableFuture<SiteTemplates> compiling = CompletableFuture
                .supplyAsync(() -> new SiteTemplates(properties.templatesDir()));
        this.bodies = new BodyRenderer(properties.iframeHosts(), base, properties::media);
        this.calendars = new CalendarWriter(base, properties.title());
        this.atom = new AtomWriter(base, properties.title());
        this.site = Map.of("title", properties.title(), "base", base);
        this.templates = joined(compiling);
    }

    /** Refused at start-up rather than skipped page after page: a mistyped setting would otherwise go unnoticed. */
    private static String defaultImage(SiteProperties.DefaultImage image, String base) {
        if (image == null || image.url() == null || image.url().isBlank()) {
            return null;
        }
        String url = SafeUrls.absolute(base, image.url());
        if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
            throw new IllegalArgumentException("agenda.site.default-image.url must be a site-relative path or an "
                    + "http(s) URL, not '" + image.url() + "'");
        }
        return url;
    }

    /**
     * Loads and initialises what rendering needs (Markdown, sanitiser, templates, French dates, iCalendar, Atom,
     * JSON) before the first real change, the page on one thread and the rest on another.
     */
    public void warmUp() {
        SiteEvent sample = new SiteEvent("warm-up", 1, false, "warm-up", "Warm-up", "*lead*", "Type", List.of(),
                List.of("Tag"), List.of(), Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), "Europe/Paris", null,
                List.of(), List.of(), "# body", Instant.EPOCH, Instant.EPOCH, null);
        CompletableFuture<String> page = CompletableFuture.supplyAsync(() -> eventPage(sample));
        eventIcs(sample);
        atomFeed(List.of(sample), this::atomSummary, Instant.EPOCH);
        indexEntry(sample);
        joined(page);
        listingPage(Listing.ALL, 1, List.of(new Listing.Entry(sample, true)), false);
    }

    /** The task's result, or its own exception (a template error must read as one, not as a CompletionException). */
    private static <T> T joined(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    SiteProperties properties() {
        return properties;
    }

    static String eventPath(String slug) {
        return "agenda/" + Slugs.requireValid(slug) + "/index.html";
    }

    static String icsPath(String slug) {
        return "agenda/" + Slugs.requireValid(slug) + "/" + slug + ".ics";
    }

    static String eventUrl(SiteEvent event) {
        return "/agenda/" + event.slug() + "/";
    }

    /** An event's page, its calendar (null without a date) and its Atom summary: the lead is rendered once for all. */
    record Rendered(String html, String ics, String atomSummary) {
    }

    Rendered render(SiteEvent event) {
        BodyRenderer.Html lead = bodies.renderWithText(event.lead());
        return new Rendered(eventPage(event, lead), eventIcs(event, lead.text()), atomSummary(event, lead.text()));
    }

    public String eventPage(SiteEvent event) {
        return eventPage(event, bodies.renderWithText(event.lead()));
    }

    private String eventPage(SiteEvent event, BodyRenderer.Html lead) {
        Map<String, Object> model = new LinkedHashMap<>();
        String canonical = base + eventUrl(event);
        String leadHtml = lead.html();
        String description = description(lead.text());
        model.put("site", site);
        model.put("pageTitle", event.title());
        model.put("description", description);
        model.put("canonical", canonical);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("title", event.title());
        view.put("cancelled", event.cancelled());
        view.put("dateLabel", FrenchDates.range(event.startsAt(), event.endsAt(), event.zone()));
        view.put("startIso", startDate(event));
        SiteEvent.Image first = event.images().stream().filter(i -> SafeUrls.link(i.url()) != null).findFirst()
                .orElse(null);
        if (first != null) {
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("url", SafeUrls.link(properties.media(first.url())));
            image.put("alt", first.altText() == null ? "" : first.altText());
            image.put("caption", first.caption());
            view.put("image", image);
            view.put("ogImage", SafeUrls.absolute(base, properties.media(first.url())));
            view.put("ogImageAlt", image.get("alt"));
        } else if (defaultImage != null) {
            view.put("ogImage", defaultImage);
            view.put("ogImageAlt", defaultImageAlt);
        }
        view.put("leadHtml", leadHtml);
        view.put("bodyHtml", bodies.render(event.body()));
        if (event.location() != null) {
            view.put("place", event.location().name());
            view.put("address", event.location().address());
        }
        view.put("access", event.access());
        List<Map<String, Object>> infos = new ArrayList<>();
        for (SiteEvent.Info info : event.infos()) {
            Map<String, Object> row = new LinkedHashMap<>();
            String link = SafeUrls.link(info.link());
            row.put("label", info.label());
            // Editors write info rows as they write the body (line breaks, <br>, emphasis): same Markdown, same
            // sanitiser, kept inline so the row stays one definition.
            row.put("contentHtml", bodies.renderInline(info.content(), link != null).html());
            row.put("content", info.content()); // the source text, for a site's own templates written before
            row.put("link", link);
            infos.add(row);
        }
        view.put("infos", infos);
        view.put("categories", taxonomy(types(event), "type"));
        view.put("tags", taxonomy(labelsByKey(event.tags()), "theme"));
        view.put("icsUrl", event.startsAt() == null ? null : "/" + icsPath(event.slug()));
        view.put("jsonLd", jsonLd(event, canonical, description));
        model.put("event", view);
        return templates.render("event", model);
    }

    /** The text an info row's content shows on the event page (its Markdown rendered, tags gone). */
    public String infoText(String content) {
        return bodies.renderInline(content, false).text();
    }

    /** One page of a listing; {@code entries} are the page's events in order. */
    String listingPage(Listing listing, int page, List<Listing.Entry> entries, boolean hasNext) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("site", site);
        String heading = listing.heading() + (page > 1 ? " – page " + page : "");
        model.put("pageTitle", heading);
        model.put("heading", heading);
        model.put("canonical", base + listing.pageUrl(page));
        model.put("description", listing.heading());
        model.put("filter", listing.kind() == Listing.Kind.ALL && page == 1);
        // The visitor's way to the email announcements: the notification-service's pages send people back to "the
        // site" to subscribe again, and it allows the site's origin for exactly this request.
        String subscribe = properties.subscribeUrl();
        model.put("subscribeUrl", listing.kind() == Listing.Kind.ALL && page == 1 && subscribe != null
                && !subscribe.isBlank() ? subscribe.strip() : null);
        List<Map<String, Object>> sections = new ArrayList<>();
        Map<String, Object> current = null;
        for (Listing.Entry entry : entries) {
            if (current == null || (Boolean) current.get("upcoming") != entry.upcoming()) {
                current = new LinkedHashMap<>();
                current.put("upcoming", entry.upcoming());
                current.put("id", entry.upcoming() ? "a-venir" : "passes");
                current.put("title", entry.upcoming() ? "Événements à venir" : "Événements passés");
                current.put("items", new ArrayList<Map<String, Object>>());
                sections.add(current);
            }
            SiteEvent event = entry.event();
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("title", event.title());
            item.put("url", eventUrl(event));
            item.put("cancelled", event.cancelled());
            item.put("dateLabel", FrenchDates.range(event.startsAt(), event.endsAt(), event.zone()));
            item.put("startIso", startDate(event));
            item.put("place", event.location() == null ? null : event.location().name());
            item.put("types", String.join(", ", types(event).values()));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) current.get("items");
            items.add(item);
        }
        model.put("sections", sections);
        model.put("pageNumber", page);
        model.put("previousUrl", page > 1 ? listing.pageUrl(page - 1) : null);
        model.put("nextUrl", hasNext ? listing.pageUrl(page + 1) : null);
        return templates.render("listing", model);
    }

    String rootPage() {
        return templates.render("root", Map.of("site", site));
    }

    /**
     * The site's {@code 404.html}: the preview server answers it for a missing page, and nginx serves the same file
     * ({@code error_page 404}). It has the site's layout and a way back to the agenda, for a visitor following an old
     * link to an event since renamed or removed; no canonical URL (it is the page of no address) and not indexed.
     */
    String notFoundPage() {
        return templates.render("not-found", Map.of("site", site, "pageTitle", "Page introuvable"));
    }

    List<String> assetNames(List<String> builtIn) {
        return templates.assetNames(builtIn);
    }

    byte[] asset(String name) {
        return templates.asset(name);
    }

    /** A one-event calendar, or null for an event without a date. */
    String eventIcs(SiteEvent event) {
        return eventIcs(event, bodies.text(event.lead()));
    }

    private String eventIcs(SiteEvent event, String leadText) {
        return event.startsAt() == null ? null : calendars.single(event, icsDescription(event, leadText));
    }

    /** The text of a calendar feed before and after its VEVENT blocks, and what goes between when there is none. */
    String[] calendarFrame() {
        return calendars.frame();
    }

    String atomFeed(List<SiteEvent> upcoming, java.util.function.Function<SiteEvent, String> summaries,
            Instant updated) {
        return atom.feed(upcoming, summaries, updated);
    }

    /** Text of an Atom entry: the event's dates, then its lead. */
    String atomSummary(SiteEvent e) {
        return atomSummary(e, bodies.text(e.lead()));
    }

    private static String atomSummary(SiteEvent e, String leadText) {
        return FrenchDates.range(e.startsAt(), e.endsAt(), e.zone()) + (e.cancelled() ? " (annulé)" : "") + ". "
                + leadText;
    }

    /** JSON object of one event for the client-side filter index. */
    String indexEntry(SiteEvent event) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", event.eventId());
        entry.put("title", event.title());
        entry.put("url", eventUrl(event));
        entry.put("start", event.startsAt() == null ? null : iso(event.startsAt(), event));
        entry.put("end", event.endsAt() == null ? null : iso(event.endsAt(), event));
        // When it stops being upcoming (the end of its last day for a whole-day event): the listings' rule, not redone.
        entry.put("until", event.upcomingUntil() == null ? null : iso(event.upcomingUntil(), event));
        // The days it is on, for the date range filter: the whole-day and midnight rules stay in Java.
        entry.put("firstDay", event.firstDay() == null ? null : event.firstDay().toString());
        entry.put("lastDay", event.lastDayOn() == null ? null : event.lastDayOn().toString());
        entry.put("timeZone", event.timeZone());
        entry.put("date", FrenchDates.range(event.startsAt(), event.endsAt(), event.zone()));
        entry.put("cancelled", event.cancelled());
        entry.put("online", event.online());
        entry.put("place", event.location() == null ? null : event.location().name());
        entry.put("types", keyLabels(types(event)));
        entry.put("themes", keyLabels(labelsByKey(event.tags())));
        return JsonText.of(entry);
    }

    /** {@code agenda/events.json}: where the index shards are, in chronological order. */
    String indexManifest(List<String> shardUrls) {
        return JsonText.of(Map.of("shards", shardUrls)) + "\n";
    }

    /** {@code sitemap.xml}: a sitemap index of the listings' sitemap and the events' sitemaps by year. */
    String sitemapIndex(List<String> sitemapUrls) {
        return locations("sitemapindex", "sitemap", sitemapUrls.stream().map(u -> new Location(u, null)).toList());
    }

    String sitemap(Collection<String> urls) {
        return locations("urlset", "url", urls.stream().map(u -> new Location(u, null)).toList());
    }

    /**
     * The sitemap of event pages, each with its last change as {@code lastmod}: search engines re-crawl what changed
     * (a new date, a cancellation) first instead of every page of the year.
     */
    String eventsSitemap(Collection<SiteEvent> events) {
        return locations("urlset", "url",
                events.stream().map(e -> new Location(eventUrl(e), e.updatedAt())).toList());
    }

    private record Location(String path, Instant lastModified) {
    }

    /** The sitemaps protocol's two documents differ by their element names; both take an optional lastmod. */
    private String locations(String root, String entry, List<Location> locations) {
        StringBuilder out = new StringBuilder(128 + locations.size() * 130);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append('<').append(root).append(" xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (Location location : locations) {
            out.append('<').append(entry).append("><loc>").append(xml(base + location.path())).append("</loc>");
            if (location.lastModified() != null) {
                out.append("<lastmod>").append(location.lastModified().truncatedTo(ChronoUnit.SECONDS))
                        .append("</lastmod>");
            }
            out.append("</").append(entry).append(">\n");
        }
        return out.append("</").append(root).append(">\n").toString();
    }

    /** Category keys and labels of an event: its primary category and its categories, deduplicated by key. */
    static Map<String, String> types(SiteEvent event) {
        List<String> labels = new ArrayList<>();
        if (event.primaryCategory() != null) {
            labels.add(event.primaryCategory());
        }
        labels.addAll(event.categories());
        return labelsByKey(labels);
    }

    static Map<String, String> labelsByKey(List<String> labels) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String label : labels) {
            if (label != null && !label.isBlank()) {
                byKey.putIfAbsent(Slugs.keyOf(label), label.strip());
            }
        }
        return byKey;
    }

    private static List<Map<String, String>> taxonomy(Map<String, String> byKey, String kind) {
        List<Map<String, String>> links = new ArrayList<>();
        byKey.forEach((key, label) -> links.add(Map.of("label", label, "url", "/agenda/" + kind + "/" + key + "/")));
        return links;
    }

    /**
     * The index's {@code {"key":…,"label":…}} pairs, in that order: Map.of's iteration order changes from one JVM to the
     * next (its salt), which rewrote every index shard after a restart and made a rebuild differ from the files it
     * replaced.
     */
    static List<Map<String, String>> keyLabels(Map<String, String> byKey) {
        List<Map<String, String>> list = new ArrayList<>();
        byKey.forEach((key, label) -> {
            Map<String, String> pair = new LinkedHashMap<>(4);
            pair.put("key", key);
            pair.put("label", label);
            list.add(pair);
        });
        return list;
    }

    private static String description(String lead) {
        return lead.length() > 300 ? lead.substring(0, 297) + "…" : lead;
    }

    private String icsDescription(SiteEvent event, String lead) {
        String url = base + eventUrl(event);
        return lead.isEmpty() ? url : lead + "\n\n" + url;
    }

    private String jsonLd(SiteEvent event, String canonical, String description) {
        Map<String, Object> ld = new LinkedHashMap<>();
        ld.put("@context", "https://schema.org");
        ld.put("@type", "Event");
        ld.put("name", event.title());
        ld.put("url", canonical);
        if (!description.isEmpty()) {
            ld.put("description", description);
        }
        if (event.startsAt() != null) {
            ld.put("startDate", startDate(event));
        }
        if (SiteEvent.allDay(event.startsAt(), event.endsAt(), event.zone())) {
            if (event.endsAt() != null && event.endsAt().isAfter(event.startsAt())) {
                ld.put("endDate", SiteEvent.lastDay(event.startsAt(), event.endsAt(), event.zone()).toString());
            }
        } else if (event.endsAt() != null) {
            ld.put("endDate", iso(event.endsAt(), event));
        }
        ld.put("eventStatus", event.cancelled() ? "https://schema.org/EventCancelled"
                : "https://schema.org/EventScheduled");
        ld.put("eventAttendanceMode", event.online() ? "https://schema.org/OnlineEventAttendanceMode"
                : "https://schema.org/OfflineEventAttendanceMode");
        if (event.online()) {
            Map<String, Object> virtual = new LinkedHashMap<>();
            virtual.put("@type", "VirtualLocation");
            // Where to attend: a web page (not a mailto: of the organisers), else the event's own page.
            virtual.put("url", event.infos().stream().map(i -> SafeUrls.absolute(base, i.link()))
                    .filter(u -> u != null && (u.startsWith("https://") || u.startsWith("http://"))).findFirst()
                    .orElse(canonical));
            if (event.location().name() != null) {
                virtual.put("name", event.location().name());
            }
            ld.put("location", virtual);
        } else if (event.location() != null) {
            Map<String, Object> place = new LinkedHashMap<>();
            place.put("@type", "Place");
            place.put("name", event.location().name() != null ? event.location().name()
                    : event.location().address());
            if (event.location().address() != null) {
                place.put("address", ordered("@type", "PostalAddress", "streetAddress", event.location().address()));
            }
            ld.put("location", place);
        }
        List<String> images = event.images().stream().map(i -> SafeUrls.absolute(base, properties.media(i.url())))
                .filter(u -> u != null).toList();
        if (!images.isEmpty()) {
            ld.put("image", images);
        } else if (defaultImage != null) {
            ld.put("image", List.of(defaultImage));
        }
        ld.put("organizer", ordered("@type", "Organization", "name", properties.title(), "url", base + "/"));
        // Inside <script>, "</script>" or "<!--" in a title would end the block: escape the characters JSON allows to.
        return JsonText.of(ld).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    /**
     * When the event starts, for {@code <time datetime>} and JSON-LD: a whole-day event (midnight to midnight of its
     * last day, as the corpus records them) by its date, as its page shows it, not "0 h 00" of its first day; empty
     * when undated.
     */
    private static String startDate(SiteEvent event) {
        if (event.startsAt() != null && SiteEvent.allDay(event.startsAt(), event.endsAt(), event.zone())) {
            return event.startsAt().atZone(event.zone()).toLocalDate().toString();
        }
        return iso(event.startsAt(), event);
    }

    private static String iso(Instant instant, SiteEvent event) {
        return instant == null ? "" : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(event.zone()));
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** JSON objects keep a fixed key order, so the same event always renders to the same bytes (Map.of does not). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
