package dev.agenda.notification.subscription;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Categories and tags people can choose from on the preferences page: those of the events seen so far. */
public interface CategoryCatalog {

    /** One label per category (per {@link Preferences#keyOf key}), spelled as the editors write it, in key order. */
    List<String> categories();

    /**
     * The same for tags (the site's « thèmes »): offered as boxes to tick, since a subscriber cannot guess which
     * themes exist from an empty text field.
     */
    List<String> tags();

    /**
     * The label shown for each category, from the labels events carry and how many events carry each: the spelling
     * most events use (« Événement » over a stray « evénement »), so the page reads like the site. On a tie, a
     * capitalised one, as the site's labels are, then the first in code-point order, so the choice is the same on
     * every page view. Ordered by key, so that « Événement » sorts among the E's, not after Z.
     */
    static List<String> labels(Map<String, Long> eventsByLabel) {
        Map<String, String> byKey = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        eventsByLabel.forEach((label, n) -> {
            if (label != null && !label.isBlank()) {
                counts.merge(label.strip(), n, Long::sum);
            }
        });
        Comparator<String> preferred = Comparator.<String>comparingLong(counts::get).reversed()
                .thenComparing(label -> !Character.isUpperCase(label.codePointAt(0)))
                .thenComparing(Comparator.naturalOrder());
        counts.keySet().stream().sorted(preferred)
                .forEach(label -> byKey.putIfAbsent(Preferences.keyOf(label), label));
        return List.copyOf(byKey.values());
    }
}
