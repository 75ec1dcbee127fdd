package dev.agenda.publishing.site;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/** URLs from event fields end up in href/src attributes: only web, mail and phone links and site-relative paths. */
final class SafeUrls {

    private static final Set<String> SCHEMES = Set.of("http", "https", "mailto", "tel");

    private SafeUrls() {
    }

    /** The URL if it is safe to link to, else null. */
    static String link(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String trimmed = url.strip();
        if (trimmed.startsWith("/") && !trimmed.startsWith("//")) {
            return validUri(trimmed) ? trimmed : null;
        }
        if (!validUri(trimmed)) {
            return null;
        }
        String scheme = URI.create(trimmed).getScheme();
        return scheme != null && SCHEMES.contains(scheme.toLowerCase(Locale.ROOT)) ? trimmed : null;
    }

    /** Absolute form of a safe URL, for feeds and Open Graph. */
    static String absolute(String base, String url) {
        String safe = link(url);
        if (safe == null) {
            return null;
        }
        return safe.startsWith("/") ? base + safe : safe;
    }

    private static boolean validUri(String url) {
        try {
            URI.create(url);
            return true;
        } catch (IllegalArgumentException invalid) {
            return false;
        }
    }
}
