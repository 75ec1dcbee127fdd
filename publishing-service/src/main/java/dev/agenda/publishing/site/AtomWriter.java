package dev.agenda.publishing.site;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.jdom2.Element;
import org.jdom2.Namespace;

import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndContentImpl;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndEntryImpl;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.feed.synd.SyndLink;
import com.rometools.rome.feed.synd.SyndLinkImpl;
import com.rometools.rome.feed.synd.SyndPerson;
import com.rometools.rome.feed.synd.SyndPersonImpl;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.WireFeedOutput;

import dev.agenda.publishing.event.SiteEvent;

/**
 * Atom feed of upcoming events with Rome. Feed readers only know publication dates, so each entry also states the
 * event's dates: in its summary, for people, and as RSS event-module elements ({@code ev:startdate}), for programs.
 * Every date comes from the events, never from the clock, so an unchanged agenda gives an identical file.
 */
final class AtomWriter {

    static final Namespace EVENT_NS = Namespace.getNamespace("ev", "http://purl.org/rss/1.0/modules/event/");

    private final String base;
    private final String siteTitle;

    AtomWriter(String base, String siteTitle) {
        this.base = base;
        this.siteTitle = siteTitle;
    }

    /**
     * @param updated the feed's {@code updated}: the caller's latest change of the agenda, so an unchanged agenda gives
     *                an identical file (the latest {@code updated} of the entries if later, or if null)
     */
    String feed(List<SiteEvent> upcoming, java.util.function.Function<SiteEvent, String> summary, Instant updated) {
        SyndFeed feed = new SyndFeedImpl();
        feed.setFeedType("atom_1.0");
        feed.setTitle(siteTitle + " – événements à venir");
        feed.setUri(base + "/agenda/");
        feed.setLanguage("fr");
        // An atom:author on the feed (Rome writes setAuthor() as dc:creator) stands for every entry, which then
        // needs none of its own.
        SyndPerson author = new SyndPersonImpl();
        author.setName(siteTitle);
        feed.setAuthors(List.of(author));
        feed.setLinks(List.of(link(base + "/agenda/", "alternate", "text/html"),
                link(base + "/agenda/feed.xml", "self", "application/atom+xml")));
        // Never before its latest entry: a caller without a date of its own (null) gets that one.
        Instant latestEntry = upcoming.stream().map(SiteEvent::updatedAt).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
        feed.setPublishedDate(Date.from(SiteBuilder.later(updated, latestEntry)));
        List<SyndEntry> entries = new ArrayList<>(upcoming.size());
        for (SiteEvent event : upcoming) {
            SyndEntry entry = new SyndEntryImpl();
            String url = base + "/agenda/" + event.slug() + "/";
            // One line, as a reader lists it: a line break the editors left in a title is a space.
            entry.setTitle((event.cancelled() ? "[Annulé] " : "") + event.title().strip().replaceAll("\\s+", " "));
            entry.setUri(entryId(event));
            entry.setLink(url);
            entry.setUpdatedDate(Date.from(event.updatedAt()));
            entry.setPublishedDate(Date.from(event.publishedAt()));
            SyndContent description = new SyndContentImpl();
            description.setType("text");
            description.setValue(summary.apply(event));
            entry.setDescription(description);
            entry.setForeignMarkup(eventElements(event));
            entries.add(entry);
        }
        feed.setEntries(entries);
        try {
            // Rome gives each entry without authors an <author> with an empty name (SyndEntry.getAuthor() is ""
            // rather than null); the feed's author already stands for them in Atom.
            com.rometools.rome.feed.atom.Feed atomFeed = (com.rometools.rome.feed.atom.Feed) feed.createWireFeed();
            for (com.rometools.rome.feed.atom.Entry entry : atomFeed.getEntries()) {
                entry.setAuthors(new ArrayList<>(entry.getAuthors().stream()
                        .filter(person -> person.getName() != null && !person.getName().isBlank()).toList()));
            }
            // Atom's own way to give the language of its text is xml:lang (RFC 4287 §2), which Rome's generator never
            // writes (the conversion from SyndFeed keeps the language as dc:language only): set on the tree, then
            // written as outputString(feed, true) writes it.
            org.jdom2.Document document = new WireFeedOutput().outputJDom(atomFeed);
            document.getRootElement().setAttribute("lang", "fr", org.jdom2.Namespace.XML_NAMESPACE);
            return new org.jdom2.output.XMLOutputter(org.jdom2.output.Format.getPrettyFormat()).outputString(document);
        } catch (FeedException e) {
            throw new IllegalStateException("Atom feed could not be written", e);
        }
    }

    /**
     * An entry's atom:id must never change (RFC 4287, 4.2.6), and a slug can: a renamed event's URL as its id made feed
     * readers show it again as a new entry. The event id is a UUID (event-service), so its URN; any other id goes in a
     * tag URI (RFC 4151) of the site's host.
     */
    String entryId(SiteEvent event) {
        try {
            return "urn:uuid:" + java.util.UUID.fromString(event.eventId());
        } catch (IllegalArgumentException notUuid) {
            String host = java.net.URI.create(base + "/").getHost();
            return "tag:" + (host == null ? "agenda" : host) + ",2022:agenda/"
                    + java.net.URLEncoder.encode(event.eventId(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static List<Element> eventElements(SiteEvent event) {
        List<Element> elements = new ArrayList<>();
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        elements.add(new Element("startdate", EVENT_NS).setText(iso.format(zoned(event.startsAt(), event))));
        if (event.endsAt() != null) {
            elements.add(new Element("enddate", EVENT_NS).setText(iso.format(zoned(event.endsAt(), event))));
        }
        if (event.location() != null && event.location().name() != null) {
            elements.add(new Element("location", EVENT_NS).setText(event.location().name()));
        }
        return elements;
    }

    private static ZonedDateTime zoned(Instant instant, SiteEvent event) {
        return instant.atZone(event.zone());
    }

    private static SyndLink link(String href, String rel, String type) {
        SyndLink link = new SyndLinkImpl();
        link.setHref(href);
        link.setRel(rel);
        link.setType(type);
        return link;
    }
}
