package dev.agenda.publishing.event;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Slugs are the only part of an event that becomes a file name, so they are checked before any path is built. */
public final class Slugs {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_KEY = Pattern.compile("[^a-z0-9]+");
    private static final Pattern EDGE_DASHES = Pattern.compile("(^-+|-+$)");
    public static final int MAX_LENGTH = 120;

    private Slugs() {
    }

    /**
     * Lowercase ASCII letters and digits in groups joined by single dashes ({@code [a-z0-9]+(-[a-z0-9]+)*}), checked
     * by a loop: every path of every page goes through here, and the regular expression was a visible share of a
     * full build.
     */
    public static boolean isValid(String slug) {
        if (slug == null || slug.isEmpty() || slug.length() > MAX_LENGTH) {
            return false;
        }
        boolean afterDash = true; // the first character may not be a dash either
        for (int i = 0; i < slug.length(); i++) {
            char c = slug.charAt(i);
            if (c == '-') {
                if (afterDash) {
                    return false;
                }
                afterDash = true;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                afterDash = false;
            } else {
                return false;
            }
        }
        return !afterDash;
    }

    public static String requireValid(String slug) {
        if (!isValid(slug)) {
            throw new InvalidSlugException(slug);
        }
        return slug;
    }

    /** Labels repeat across thousands of events and listings are recomputed on every change: compute each once. */
    private static final java.util.Map<String, String> KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Key of a category or tag page: accents dropped, anything else than a-z0-9 folded into single dashes. */
    public static String keyOf(String label) {
        if (KEYS.size() > 100_000) {
            KEYS.clear();
        }
        return KEYS.computeIfAbsent(label, Slugs::computeKey);
    }

    private static String computeKey(String label) {
        String ascii = MARKS.matcher(Normalizer.normalize(label, Normalizer.Form.NFD)).replaceAll("");
        String key = EDGE_DASHES.matcher(NOT_KEY.matcher(ascii.toLowerCase(Locale.ROOT)).replaceAll("-"))
                .replaceAll("");
        if (key.length() > MAX_LENGTH) {
            key = key.substring(0, MAX_LENGTH).replaceAll("-+$", "");
        }
        return key.isEmpty() ? "autre" : key;
    }

    public static final class InvalidSlugException extends IllegalArgumentException {
        public InvalidSlugException(String slug) {
            super("Invalid slug: " + (slug == null ? "null"
                    : slug.length() > 200 ? slug.substring(0, 200) + "…" : slug));
        }
    }
}
