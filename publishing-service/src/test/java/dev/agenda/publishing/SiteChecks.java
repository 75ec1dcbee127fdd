package dev.agenda.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;

import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Parsers used as validators: HTML5 (jsoup's tree builder with error tracking), iCalendar (ical4j), Atom (Rome). */
public final class SiteChecks {

    private SiteChecks() {
    }

    /**
     * Every entry of the client-side index: {@code agenda/events.json} lists the shards (by year), which must all exist
     * and parse.
     */
    public static List<JsonNode> indexEntries(Path site) {
        JsonNode manifest = JsonMapper.builder().build().readTree(read(site.resolve("agenda/events.json")));
        List<JsonNode> entries = new ArrayList<>();
        for (JsonNode shard : manifest.get("shards")) {
            assertThat(shard.asString()).startsWith("/agenda/events-").endsWith(".json");
            JsonNode index = JsonMapper.builder().build().readTree(read(site.resolve(shard.asString().substring(1))));
            index.get("events").forEach(entries::add);
        }
        return entries;
    }

    /** Every URL of the sitemap: {@code sitemap.xml} is a sitemap index whose sitemaps must all exist and parse. */
    public static List<String> sitemapUrls(Path site) {
        Document index = Jsoup.parse(read(site.resolve("sitemap.xml")), "", Parser.xmlParser());
        assertThat(index.select("sitemapindex")).hasSize(1);
        List<String> urls = new ArrayList<>();
        for (Element loc : index.select("sitemap > loc")) {
            String path = java.net.URI.create(loc.text()).getPath();
            assertThat(path).startsWith("/agenda/sitemap-").endsWith(".xml");
            Document sitemap = Jsoup.parse(read(site.resolve(path.substring(1))), "", Parser.xmlParser());
            assertThat(sitemap.select("urlset")).hasSize(1);
            sitemap.select("url > loc").forEach(u -> urls.add(u.text()));
        }
        return urls;
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses as HTML5 and fails on any parse error; returns the document. */
    public static Document validHtml(String html, String name) {
        Parser parser = Parser.htmlParser().setTrackErrors(50);
        Document document = Jsoup.parse(html, "http://localhost/", parser);
        assertThat(parser.getErrors()).as("HTML5 parse errors in %s", name).isEmpty();
        assertThat(html).as("doctype of %s", name).startsWith("<!DOCTYPE html>");
        assertThat(document.select("html").attr("lang")).isEqualTo("fr");
        return document;
    }

    public static Calendar validIcs(String ics) {
        try {
            Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
            calendar.validate();
            assertLinesFoldedAt75Octets(ics);
            return calendar;
        } catch (Exception | AssertionError e) {
            throw new AssertionError("Invalid iCalendar: " + e + "\n" + ics, e);
        }
    }

    /**
     * RFC 5545 §3.1: lines end with CRLF and are at most 75 octets (not characters) long, folded without splitting
     * a UTF-8 sequence: a lone surrogate from a split emoji would be written as « ? ».
     */
    public static void assertLinesFoldedAt75Octets(String ics) {
        assertThat(ics).endsWith("\r\n");
        assertThat(ics.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        for (String line : ics.split("\r\n")) {
            assertThat(line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).as("octets of %s", line)
                    .isLessThanOrEqualTo(75);
            assertThat(line).as("no split surrogate pair in %s", line)
                    .isEqualTo(new String(line.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    public static SyndFeed validAtom(String atom) {
        try {
            SyndFeed feed = new SyndFeedInput().build(new StringReader(atom));
            assertThat(feed.getFeedType()).isEqualTo("atom_1.0");
            return feed;
        } catch (Exception e) {
            throw new AssertionError("Invalid Atom: " + e, e);
        }
    }
}
