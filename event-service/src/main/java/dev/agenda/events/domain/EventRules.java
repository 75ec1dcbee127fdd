package dev.agenda.events.domain;

import java.net.URI;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What makes an event valid. One list of violations (one entry per invalid field) so an editor fixes everything in
 * one go. The limits are generous next to the corpus (longest body ~12 kB, at most 8 info rows) but bounded.
 */
public final class EventRules {

    public static final int MAX_TITLE = 300;
    public static final int MAX_TEXT = 2_000;
    public static final int MAX_SHORT = 500;
    public static final int MAX_BODY = 200_000;
    public static final int MAX_URL = 2_000;
    public static final int MAX_LIST = 50;
    /**
     * Bound on the UTF-8 bytes of all the event's text together. Every field may be within its own limit while the
     * whole is not (50 access entries of 50 lines, a body of 200,000 four-byte characters...); the message the relay
     * publishes must stay under the Kafka producer's max.request.size (1 MiB by default) with room for the record's
     * key, headers and Avro framing, or it could never be published.
     */
    public static final int MAX_ENCODED_BYTES = 800_000;
    /** Events outside these years are typing mistakes (the corpus has a year 0007). */
    public static final int MIN_YEAR = 1990;
    public static final int MAX_YEAR = 2100;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s/:]+@[^@\\s/]+\\.[a-zA-Z]{2,}");

    private EventRules() {
    }

    public static List<Violation> check(EventContent c, EventStatus status) {
        List<Violation> v = new ArrayList<>();
        if (invisible(c.title())) {
            v.add(new Violation("title", "must not be blank"));
        } else if (BIDI_CONTROLS.matcher(c.title()).find()) {
            // « Atelier \u202Egnp.exe » shows as « Atelier exe.png »: a title in a feed, an email subject or a
            // calendar reads as it is drawn, and nobody types these on purpose (Arabic or Hebrew text needs none).
            v.add(new Violation("title", "must not contain bidirectional control characters (U+202A–U+202E, "
                    + "U+2066–U+2069)"));
        } else {
            max(v, "title", c.title(), MAX_TITLE);
        }
        max(v, "lead", c.lead(), MAX_TEXT);
        max(v, "primaryCategory", c.primaryCategory(), MAX_SHORT);
        strings(v, "categories", c.categories());
        strings(v, "tags", c.tags());
        list(v, "images", c.images());
        for (int i = 0; i < c.images().size(); i++) {
            Image img = c.images().get(i);
            String f = "images[" + i + "]";
            if (img == null) {
                v.add(new Violation(f, "must not be null"));
                continue;
            }
            if (img.url() == null || img.url().isBlank()) {
                v.add(new Violation(f + ".url", "must not be blank"));
                continue;
            }
            url(v, f + ".url", img.url(), false);
            max(v, f + ".caption", img.caption(), MAX_TEXT);
            max(v, f + ".altText", img.altText(), MAX_TEXT);
        }
        if (status != EventStatus.DRAFT && c.startsAt() == null) {
            v.add(new Violation("startsAt", "is required to publish"));
        }
        plausible(v, "startsAt", c.startsAt());
        plausible(v, "endsAt", c.endsAt());
        // Shown in the feeds and written back as a Jekyll page's date: year 9999 or 1900 (with its local mean time
        // offset of 00:09:21, which no front matter can write) would not come back from an export.
        plausible(v, "publicationDate", c.publicationDate());
        if (c.startsAt() != null && c.endsAt() != null && c.endsAt().isBefore(c.startsAt())) {
            v.add(new Violation("endsAt", "must not be before startsAt"));
        }
        if (c.endsAt() != null && c.startsAt() == null) {
            v.add(new Violation("startsAt", "is required when endsAt is set"));
        }
        if (!isIanaZone(c.timeZone())) {
            v.add(new Violation("timeZone", "is not an IANA time zone"));
        }
        max(v, "venue", c.venue(), MAX_SHORT);
        max(v, "address", c.address(), MAX_SHORT);
        list(v, "access", c.access());
        for (int i = 0; i < c.access().size(); i++) {
            Access a = c.access().get(i);
            String f = "access[" + i + "]";
            if (a == null) {
                v.add(new Violation(f, "must not be null"));
                continue;
            }
            if (a.type() == null || a.type().isBlank()) {
                v.add(new Violation(f + ".type", "must not be blank"));
                continue;
            }
            max(v, f + ".type", a.type(), MAX_SHORT);
            strings(v, f + ".lines", a.lines());
        }
        list(v, "infos", c.infos());
        for (int i = 0; i < c.infos().size(); i++) {
            InfoRow r = c.infos().get(i);
            String f = "infos[" + i + "]";
            if (r == null) {
                v.add(new Violation(f, "must not be null"));
                continue;
            }
            if (r.label() == null || r.label().isBlank()) {
                v.add(new Violation(f + ".label", "must not be blank"));
                continue;
            }
            max(v, f + ".label", r.label(), MAX_SHORT);
            max(v, f + ".content", r.content(), MAX_TEXT);
            if (r.link() != null) {
                url(v, f + ".link", r.link(), true);
            }
        }
        max(v, "body", c.body(), MAX_BODY);
        long bytes = encodedBytes(c);
        if (bytes > MAX_ENCODED_BYTES) {
            v.add(new Violation("event", "is " + bytes + " bytes of text in all; at most " + MAX_ENCODED_BYTES
                    + " bytes are allowed (shorten the body or the lists)"));
        }
        return v;
    }

    /** The UTF-8 size of every text of the event, i.e. nearly all of its published message. */
    public static long encodedBytes(EventContent c) {
        long n = utf8(c.title()) + utf8(c.lead()) + utf8(c.primaryCategory()) + utf8(c.timeZone()) + utf8(c.venue())
                + utf8(c.address()) + utf8(c.body());
        for (String s : c.categories()) {
            n += utf8(s);
        }
        for (String s : c.tags()) {
            n += utf8(s);
        }
        for (Image i : c.images()) {
            n += i == null ? 0 : utf8(i.url()) + utf8(i.caption()) + utf8(i.altText());
        }
        for (Access a : c.access()) {
            if (a != null) {
                n += utf8(a.type());
                for (String s : a.lines()) {
                    n += utf8(s);
                }
            }
        }
        for (InfoRow r : c.infos()) {
            n += r == null ? 0 : utf8(r.label()) + utf8(r.content()) + utf8(r.link());
        }
        return n;
    }

    private static long utf8(String s) {
        if (s == null) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            // A surrogate pair (two chars) is four bytes: two each.
            n += ch < 0x80 ? 1 : ch < 0x800 ? 2 : Character.isSurrogate(ch) ? 2 : 3;
        }
        return n;
    }

    public static void require(EventContent c, EventStatus status) {
        List<Violation> v = check(c, status);
        if (!v.isEmpty()) {
            throw new InvalidEventException(v);
        }
    }

    /** Read once: {@link ZoneId#getAvailableZoneIds()} copies its set of about 600 ids on every call. */
    private static final Set<String> IANA_ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

    /**
     * A zone of the IANA database ("Europe/Paris", "America/Cayenne", "UTC"), not a fixed offset ("+02:00",
     * "UTC+2") that {@link ZoneId#of} also accepts: an offset knows no summer time, so an event series typed with
     * "+01:00" in winter is an hour off in summer, and pages and emails name the zone « (+02:00) » instead of a place.
     */
    public static boolean isIanaZone(String id) {
        if (id == null || !IANA_ZONES.contains(id)) {
            return false;
        }
        try {
            ZoneId.of(id);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    public static boolean isPlausible(Instant t) {
        int year = ZonedDateTime.ofInstant(t, ZoneId.of("UTC")).getYear();
        return year >= MIN_YEAR && year <= MAX_YEAR;
    }

    /** True for absolute http(s) URLs, site-relative paths and, for links, {@code mailto:} and {@code tel:}. */
    public static boolean isWellFormedUrl(String s, boolean link) {
        if (s == null || s.isBlank() || s.length() > MAX_URL || s.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        if (s.startsWith("/") && !s.startsWith("//")) {
            // A browser reads "/\host" as "//host": another site.
            return !s.contains("..") && s.indexOf('\\') < 0;
        }
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return switch (scheme) {
                case "http", "https" -> uri.getHost() != null && !uri.getHost().isBlank();
                case "mailto" -> link && EMAIL.matcher(uri.getSchemeSpecificPart()).matches();
                case "tel" -> link && uri.getSchemeSpecificPart().matches("\\+?[0-9 .()-]{3,30}");
                default -> false;
            };
        } catch (Exception e) {
            return false;
        }
    }

    public static boolean isEmail(String s) {
        return s != null && EMAIL.matcher(s).matches();
    }

    private static void url(List<Violation> v, String field, String value, boolean link) {
        if (forbiddenCharacterAt(value) >= 0) {
            characters(v, field, value);
        } else if (!isWellFormedUrl(value, link)) {
            v.add(new Violation(field, link
                    ? "must be an http(s) URL, a site path starting with '/', a mailto: or a tel: link"
                    : "must be an http(s) URL or a site path starting with '/'"));
        }
    }

    /**
     * Null, or nothing a reader would see: spaces of any kind (String.isBlank misses the no-break ones, U+00A0,
     * U+2007, U+202F), invisible format characters (zero-width space and joiners, direction marks) and the few
     * blank glyphs used to fake a text.
     */
    static boolean invisible(String s) {
        return s == null || s.codePoints().allMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                || Character.getType(cp) == Character.FORMAT || BLANK_GLYPHS.indexOf(cp) >= 0);
    }

    private static final java.util.regex.Pattern BIDI_CONTROLS =
            java.util.regex.Pattern.compile("[\u202A-\u202E\u2066-\u2069]");

    /** Characters drawn as nothing that Unicode counts as letters or symbols: the blank braille cell, Hangul fillers. */
    private static final String BLANK_GLYPHS = "\u2800\u3164\u115F\u1160\uFFA0";

    private static void plausible(List<Violation> v, String field, Instant t) {
        if (t != null && !isPlausible(t)) {
            v.add(new Violation(field, "must be between years " + MIN_YEAR + " and " + MAX_YEAR));
        }
    }

    private static void max(List<Violation> v, String field, String value, int max) {
        if (value != null && value.length() > max) {
            v.add(new Violation(field, "must be at most " + max + " characters"));
        } else {
            characters(v, field, value);
        }
    }

    private static void characters(List<Violation> v, String field, String value) {
        int at = forbiddenCharacterAt(value);
        if (at >= 0) {
            v.add(new Violation(field, String.format(Locale.ROOT,
                    "must not contain control characters (U+%04X at position %d)", (int) value.charAt(at), at)));
        }
    }

    /**
     * Where the first character that no page, feed or email can carry is, or -1: C0 controls other than tab, line
     * feed and carriage return, DEL and the C1 controls, U+FFFE/U+FFFF and unpaired surrogates. XML 1.0 forbids most
     * of them (the site's Atom feed could not be written: the publishing-service dead-lettered such an event), HTML
     * parsers report the others as errors, and none is ever typed on purpose (they come from pasted documents).
     * {@code q} of a search is checked too: MongoDB cannot hold a NUL in a regular expression.
     */
    public static int forbiddenCharacterAt(String s) {
        if (s == null) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean forbidden;
            if (c < 0x20) {
                forbidden = c != '\t' && c != '\n' && c != '\r';
            } else if (Character.isHighSurrogate(c)) {
                forbidden = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
                if (!forbidden) {
                    i++;
                }
            } else {
                forbidden = (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF || Character.isLowSurrogate(c);
            }
            if (forbidden) {
                return i;
            }
        }
        return -1;
    }

    private static void list(List<Violation> v, String field, List<?> list) {
        if (list.size() > MAX_LIST) {
            v.add(new Violation(field, "must have at most " + MAX_LIST + " entries"));
        }
    }

    private static void strings(List<Violation> v, String field, List<String> values) {
        list(v, field, values);
        for (int i = 0; i < values.size(); i++) {
            String s = values.get(i);
            if (s == null) {
                v.add(new Violation(field + "[" + i + "]", "must not be null"));
            } else if (s.isBlank()) {
                v.add(new Violation(field + "[" + i + "]", "must not be blank"));
            } else {
                max(v, field + "[" + i + "]", s, MAX_SHORT);
            }
        }
    }
}
