package dev.agenda.publishing.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.util.UriUtils;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Serves the current site directory for the local stack (production puts nginx in front of the same directory).
 * Each request resolves the {@code current} symlink again, so a rebuild's swap is picked up at once.
 */
@RestController
class PreviewController {

    private final Supplier<Path> currentLink;
    /** nginx's policy in production (deploy/nginx/site.conf.template), so that a layout breaking it shows here too. */
    private final String contentSecurityPolicy;

    @Autowired
    PreviewController(SitePublisher publisher, SiteProperties properties) {
        this(publisher::currentLink, contentSecurityPolicy(properties));
    }

    /** Serves whatever directory {@code currentLink} points at (a test needs no publisher). */
    PreviewController(Supplier<Path> currentLink) {
        this(currentLink, null);
    }

    private PreviewController(Supplier<Path> currentLink, String contentSecurityPolicy) {
        this.currentLink = currentLink;
        this.contentSecurityPolicy = contentSecurityPolicy;
    }

    /**
     * The site's policy: its own scripts only, frames from the video players the sanitiser keeps, its subscription
     * form posting to the notification-service's origin, framed by no other site.
     */
    static String contentSecurityPolicy(SiteProperties properties) {
        StringBuilder frames = new StringBuilder();
        properties.iframeHosts().forEach(host -> frames.append(" https://").append(host));
        String connect = "";
        if (properties.subscribeUrl() != null && !properties.subscribeUrl().isBlank()) {
            java.net.URI form = java.net.URI.create(properties.subscribeUrl().strip());
            if (form.getScheme() != null && form.getAuthority() != null) {
                connect = " " + form.getScheme() + "://" + form.getAuthority();
            }
        }
        return "default-src 'self'; img-src 'self' https: data:; frame-src" + (frames.length() == 0 ? " 'none'" : frames)
                + "; script-src 'self'; connect-src 'self'" + connect + "; style-src 'self' 'unsafe-inline'; "
                + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";
    }

    /**
     * Every path of the site: its pages, assets and top-level files ({@code /sitemap.xml}, {@code /404.html}); anything
     * else ({@code /favicon.ico}, a dead link's {@code /ancien/chemin}, an image the site does not hold) gets the
     * site's 404 page, not an API answer nor a password prompt. The API's own paths ({@code /api/**}) are left to it.
     */
    @GetMapping("/**")
    ResponseEntity<Resource> serve(HttpServletRequest request, WebRequest webRequest) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/api/") || path.equals("/api")) {
            return ResponseEntity.notFound().build();
        }
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        if (path.equals("/agenda")) {
            // A shared filtered link (/agenda?type=webinaire) keeps its filter.
            return ResponseEntity.status(301).header("Location", "/agenda/" + query).build();
        }
        Path root = currentLink.get().toRealPath();
        // A path's percent-encoding, not a form's: '+' is a plus sign there (URLDecoder would make it a space).
        String relative = UriUtils.decode(path, StandardCharsets.UTF_8).replaceFirst("^/+", "");
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root)) {
            return notFound(root);
        }
        if (Files.isDirectory(file)) {
            if (!path.endsWith("/")) {
                return ResponseEntity.status(301).header("Location", path + "/" + query).build();
            }
            file = file.resolve("index.html");
        }
        if (!Files.isRegularFile(file) || file.getFileName().toString().startsWith(".")) {
            return notFound(root);
        }
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        long lastModified = attributes.lastModifiedTime().toMillis();
        String etag = etag(attributes);
        // The strong ETag decides (If-None-Match wins over If-Modified-Since): Last-Modified has whole seconds only,
        // so a page rewritten within the second it was fetched would otherwise be answered 304 with the old copy.
        if (webRequest.checkNotModified(etag, lastModified)) {
            return null;
        }
        String name = file.getFileName().toString();
        MediaType type = name.endsWith(".ics") ? MediaType.parseMediaType("text/calendar;charset=UTF-8")
                : name.equals("feed.xml") ? MediaType.parseMediaType("application/atom+xml;charset=UTF-8")
                : name.endsWith(".html") ? MediaType.parseMediaType("text/html;charset=UTF-8")
                : MediaTypeFactory.getMediaType(name).orElse(MediaType.APPLICATION_OCTET_STREAM);
        // Its own name: without one, Spring's reflected-file-download guard names every file that is not on its list
        // of safe extensions « f.txt », and the « Ajouter à mon agenda (.ics) » button saved f.txt.
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (contentSecurityPolicy != null) {
            answer.header("Content-Security-Policy", contentSecurityPolicy)
                    .header("Referrer-Policy", "strict-origin-when-cross-origin");
        }
        return answer.contentType(type).eTag(etag).lastModified(lastModified)
                .cacheControl(CacheControl.maxAge(0, TimeUnit.SECONDS).mustRevalidate())
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.inline().filename(name, StandardCharsets.UTF_8).build().toString())
                .body(new FileSystemResource(file));
    }

    /**
     * A 404 with the site's own {@code 404.html} (what nginx answers too), so a visitor following a dead link gets the
     * site's layout and a way back to the agenda instead of an empty page; empty only before the first build wrote it.
     * Not cached: the page that is missing now may be published in a minute.
     */
    private static ResponseEntity<Resource> notFound(Path root) {
        Path page = root.resolve(SiteBuilder.NOT_FOUND_PAGE);
        if (!Files.isRegularFile(page)) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.status(404).contentType(MediaType.parseMediaType("text/html;charset=UTF-8"))
                .cacheControl(CacheControl.noStore()).body(new FileSystemResource(page));
    }

    /**
     * Identifies one version of a file without reading it: every write renames a new file over the old one (a new
     * inode), and its size and mtime to the nanosecond (as precise as the file system keeps it) tell rewrites apart.
     */
    static String etag(BasicFileAttributes attributes) {
        Object key = attributes.fileKey();
        return "\"" + Long.toHexString(attributes.size()) + "-"
                + Long.toHexString(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)) + "-"
                + Integer.toHexString(key == null ? 0 : key.hashCode()) + "\"";
    }
}
