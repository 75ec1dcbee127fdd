package dev.agenda.notification.subscription;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a subscriber wants: everything, or events having one of the chosen categories or tags. Values are kept
 * normalised (trimmed, lower case) so that "Atelier" chosen on a form matches the category "atelier" of an event.
 */
public record Preferences(boolean everything, Set<String> categories, Set<String> tags) {

    public static final int MAX_VALUES = 50;
    public static final int MAX_LENGTH = 80;

    public Preferences {
        categories = normalise(categories);
        tags = normalise(tags);
    }

    /** No choice at all means everything: an empty filter would silently receive nothing. */
    public static Preferences of(Collection<String> categories, Collection<String> tags) {
        Set<String> c = normalise(categories);
        Set<String> t = normalise(tags);
        return new Preferences(c.isEmpty() && t.isEmpty(), c, t);
    }

    public static Preferences everythingPreferences() {
        return new Preferences(true, Set.of(), Set.of());
    }

    public boolean matches(Collection<String> eventCategories, Collection<String> eventTags) {
        if (everything) {
            return true;
        }
        return normalise(eventCategories).stream().anyMatch(categories::contains)
                || normalise(eventTags).stream().anyMatch(tags::contains);
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
        return Set.copyOf(out);
    }
}
