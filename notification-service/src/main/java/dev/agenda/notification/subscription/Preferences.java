package dev.agenda.notification.subscription;

import java.text.Normalizer;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a subscriber wants: everything, or events having one of the chosen categories or tags. Values are kept
 * trimmed and in lower case, as they were chosen; they match an event's by {@link #keyOf key}, the site's rule for
 * its category and tag pages, so that "Événement" chosen on a form matches an event typed "Evénement" or
 * "Évènement" (one page on the site), and "Webinaire d’information" one typed "webinaire d'information".
 */
public record Preferences(boolean everything, Set<String> categories, Set<String> tags) {

    public static final int MAX_VALUES = 50;
    public static final int MAX_LENGTH = 80;

    public Preferences {
        categories = normalise(categories);
        tags = normalise(tags);
    }

    /**
     * No choice at all means everything: an empty filter would silently receive nothing. A choice made of values that
     * cannot be kept (null, blank, longer than {@link #MAX_LENGTH}, more than {@link #MAX_VALUES}) is refused rather
     * than dropped: dropped, it would leave no choice, and so silently widen to everything.
     *
     * @throws InvalidValueException naming the field, if a value cannot be kept
     */
    public static Preferences of(Collection<String> categories, Collection<String> tags) {
        requireUsable("categories", categories);
        requireUsable("tags", tags);
        Set<String> c = normalise(categories);
        Set<String> t = normalise(tags);
        return new Preferences(c.isEmpty() && t.isEmpty(), c, t);
    }

    private static void requireUsable(String field, Collection<String> values) {
        if (values == null) {
            return;
        }
        if (values.size() > MAX_VALUES) {
            throw new InvalidValueException(field, "at most " + MAX_VALUES + " values");
        }
        for (String v : values) {
            if (v == null || v.isBlank()) {
                throw new InvalidValueException(field, "a value is empty");
            }
            if (storedLength(v) > MAX_LENGTH) {
                throw new InvalidValueException(field, "a value is longer than " + MAX_LENGTH + " characters");
            }
        }
    }

    /**
     * The length a value is kept at: stripped and in lower case, which can be longer than typed (« İ » is two
     * characters in lower case). Measured as typed, an 80-character topic holding one passed the check and was then
     * dropped, widening the choice to everything.
     */
    public static int storedLength(String value) {
        return value.strip().toLowerCase(Locale.ROOT).length();
    }

    public static Preferences everythingPreferences() {
        return new Preferences(true, Set.of(), Set.of());
    }

    public boolean matches(Collection<String> eventCategories, Collection<String> eventTags) {
        if (everything) {
            return true;
        }
        return intersects(keys(categories), eventCategories) || intersects(keys(tags), eventTags);
    }

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_KEY = Pattern.compile("[^a-z0-9]+");
    private static final Pattern EDGE_DASHES = Pattern.compile("(^-+|-+$)");

    /**
     * The site's key of a category or tag label (publishing-service {@code Slugs.keyOf}): accents dropped, lower case,
     * anything else than a-z0-9 folded into single dashes. Labels with the same key are one category for people.
     */
    public static String keyOf(String label) {
        String ascii = MARKS.matcher(Normalizer.normalize(label, Normalizer.Form.NFD)).replaceAll("");
        String key = EDGE_DASHES.matcher(NOT_KEY.matcher(ascii.toLowerCase(Locale.ROOT)).replaceAll("-"))
                .replaceAll("");
        return key.isEmpty() ? "autre" : key;
    }

    public static Set<String> keys(Collection<String> labels) {
        return labels == null ? Set.of()
                : labels.stream().filter(l -> l != null && !l.isBlank()).map(Preferences::keyOf)
                        .collect(Collectors.toUnmodifiableSet());
    }

    private static boolean intersects(Set<String> chosenKeys, Collection<String> eventLabels) {
        return !chosenKeys.isEmpty() && keys(eventLabels).stream().anyMatch(chosenKeys::contains);
    }

    public static Set<String> normalise(Collection<String> values) {
        TreeSet<String> out = new TreeSet<>();
        if (values != null) {
            for (String v : values) {
                if (v == null) {
                    continue;
                }
                String n = v.strip().toLowerCase(Locale.ROOT);
                if (!n.isEmpty() && n.length() <= MAX_LENGTH && out.size() < MAX_VALUES) {
                    out.add(n);
                }
            }
        }
        // Sorted, not Set.copyOf's order (which changes from one JVM to the next): the admin API, the preferences page
        // and the export list them the same way every time.
        return Collections.unmodifiableSortedSet(out);
    }
}
