package dev.agenda.publishing.site;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/**
 * Checked at start-up: a base URL without its scheme ({@code agenda.example.org}) made every link of the feeds, the
 * sitemap and the calendar files relative, which their readers cannot follow, and nothing said so.
 *
 * @param outputDir      where the site lives: {@code current} is a symlink to the build being served
 * @param baseUrl        absolute URL of the site root, for feeds, sitemap, Open Graph and JSON-LD
 * @param title          site name shown in the header and feeds
 * @param templatesDir   optional directory whose Pebble templates (and {@code assets/}) override the built-in ones
 * @param pageSize       events per listing page
 * @param feedSize       upcoming events in the Atom feed
 * @param iframeHosts    hosts whose iframes (video players) survive sanitising
 * @param listingRefresh how often listings are re-sorted so events move from upcoming to past as time passes
 * @param subscribeUrl   the notification-service's {@code POST /api/subscriptions} as the visitor's browser reaches
 *                       it (its CORS must allow the site's origin); the agenda page offers its email form when set
 * @param defaultImage   the image shared pages show (Open Graph, JSON-LD) for an event that has none of its own: a
 *                       site-relative path or an absolute URL, with its alternative text; none when unset
 * @param mediaBaseUrl   where the site-relative images of events live when this site does not hold them (an imported
 *                       site's {@code /uploads/…}, still served by the old site or a media server): such a path
 *                       outside {@code /agenda/} and {@code /assets/} is prefixed with it; unchanged when unset
 */
@Validated
@ConfigurationProperties("agenda.site")
public record SiteProperties(
        @DefaultValue("data/site") @NotNull Path outputDir,
        @DefaultValue("http://localhost:8083")
        @Pattern(regexp = "https?://[^/?#\\s]+(/[^?#\\s]*)?",
                message = "must be the absolute http(s) URL of the site root, without query or fragment") String baseUrl,
        @DefaultValue("Agenda") @NotBlank String title,
        Path templatesDir,
        @DefaultValue("20") @Positive int pageSize,
        @DefaultValue("100") @Positive int feedSize,
        @DefaultValue({"www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com", "www.dailymotion.com",
                "geo.dailymotion.com", "peertube.designersethiques.org", "tube.numerique.gouv.fr"})
        List<String> iframeHosts,
        @DefaultValue("60s") @DurationMin(seconds = 1) Duration listingRefresh,
        String subscribeUrl,
        DefaultImage defaultImage,
        @Pattern(regexp = "(https?://[^/?#\\s]+(/[^?#\\s]*)?)?",
                message = "must be an absolute http(s) URL, without query or fragment") String mediaBaseUrl) {

    @ConstructorBinding
    public SiteProperties {
    }

    /**
     * Link previews and search engines' event results show an image: without one, an event without a picture of its
     * own is shown as a bare link, or not at all.
     */
    public record DefaultImage(String url, String alt) {
    }

    /** A site whose events' images are all its own (or absolute). */
    public SiteProperties(Path outputDir, String baseUrl, String title, Path templatesDir, int pageSize, int feedSize,
            List<String> iframeHosts, Duration listingRefresh, String subscribeUrl, DefaultImage defaultImage) {
        this(outputDir, baseUrl, title, templatesDir, pageSize, feedSize, iframeHosts, listingRefresh, subscribeUrl,
                defaultImage, null);
    }

    /** A site without a default image. */
    public SiteProperties(Path outputDir, String baseUrl, String title, Path templatesDir, int pageSize, int feedSize,
            List<String> iframeHosts, Duration listingRefresh, String subscribeUrl) {
        this(outputDir, baseUrl, title, templatesDir, pageSize, feedSize, iframeHosts, listingRefresh, subscribeUrl,
                null);
    }

    /** A site without the email subscription form. */
    public SiteProperties(Path outputDir, String baseUrl, String title, Path templatesDir, int pageSize, int feedSize,
            List<String> iframeHosts, Duration listingRefresh) {
        this(outputDir, baseUrl, title, templatesDir, pageSize, feedSize, iframeHosts, listingRefresh, null, null);
    }

    /**
     * Where a site-relative image of an event is: prefixed with {@link #mediaBaseUrl} when it is set and the path is
     * not one of the site's own ({@code /agenda/}, {@code /assets/}); as it is otherwise.
     */
    public String media(String url) {
        if (mediaBaseUrl == null || mediaBaseUrl.isBlank() || url == null) {
            return url;
        }
        String path = url.strip();
        if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/agenda/")
                || path.startsWith("/assets/")) {
            return url;
        }
        return mediaBaseUrl.replaceAll("/+$", "") + path;
    }

    public String base() {
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }
}
