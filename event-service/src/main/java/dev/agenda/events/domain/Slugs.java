package dev.agenda.events.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * URL names of events: {@code [a-z0-9]+(-[a-z0-9]+)*}, at most {@value #MAX_LENGTH} characters. Built from the title
 * (or a Jekyll file name) by folding accents, dropping punctuation (« », quotes, {@code <<}...) and joining words with
 * hyphens, so a slug can never hold a path separator or {@code ..}.
 */
public final class Slugs {

    public static final int MAX_LENGTH = 120;
    private static final Pattern VALID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SEPARATORS = Pattern.compile("[^a-z0-9]+");

    private Slugs() {
    }

    public static boolean isValid(String slug) {
        return slug != null && slug.length() <= MAX_LENGTH && VALID.matcher(slug).matches();
    }

    /** The slug of a text, or an empty string when nothing is left (a title made only of punctuation). */
    public static String slugify(String text) {
        if (text == null) {
            return "";
        }
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKD);
        folded = MARKS.matcher(folded).replaceAll("")
                .replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae").replace("ß", "ss")
                .toLowerCase(Locale.ROOT);
        String slug = SEPARATORS.matcher(folded).replaceAll("-");
        slug = trimHyphens(slug);
        if (slug.length() > MAX_LENGTH) {
            int cut = slug.lastIndexOf('-', MAX_LENGTH);
            slug = trimHyphens(cut > 0 ? slug.substring(0, cut) : slug.substring(0, MAX_LENGTH));
        }
        return slug;
    }

    /** The slug a Jekyll file is published under ({@code /agenda/<file-name>/}): its base name, slugified. */
    public static String fromFileName(String fileName) {
        return slugify(stem(fileName));
    }

    /** A file's name without its folder nor its extension. */
    public static String stem(String fileName) {
        String name = fileName.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static final Pattern NOT_KEY = Pattern.compile("[^a-z0-9]+");

    /**
     * The key the site groups a category or tag label by ({@code /agenda/type/<key>/}): accents dropped, anything
     * else than a-z0-9 folded into single dashes, "autre" when nothing is left. « Café de la transfo », « cafe de la
     * TRANSFO » and {@code cafe-de-la-transfo} are one key, so one page on the site and one filter here. It must stay
     * the publishing-service's {@code Slugs.keyOf} (services share no code): unlike {@link #slugify} it does not
     * spell œ as oe, nor cut at a word.
     */
    public static String labelKey(String label) {
        String ascii = MARKS.matcher(Normalizer.normalize(label, Normalizer.Form.NFD)).replaceAll("");
        String key = trimHyphens(NOT_KEY.matcher(ascii.toLowerCase(Locale.ROOT)).replaceAll("-"));
        if (key.length() > MAX_LENGTH) {
            key = trimHyphens(key.substring(0, MAX_LENGTH));
        }
        return key.isEmpty() ? "autre" : key;
    }

    /** {@code base}, or {@code base-2}, {@code base-3}... shortened so that the suffix still fits. */
    public static String withSuffix(String base, int n) {
        if (n <= 1) {
            return base;
        }
        String suffix = "-" + n;
        String head = base.length() + suffix.length() > MAX_LENGTH ? base.substring(0, MAX_LENGTH - suffix.length())
                : base;
        return trimHyphens(head) + suffix;
    }

    private static String trimHyphens(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }
}
