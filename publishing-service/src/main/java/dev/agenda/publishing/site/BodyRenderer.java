package dev.agenda.publishing.site;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * Editors' Markdown (kramdown flavour, with raw HTML) to HTML that is safe to put in a page: rendered by commonmark-java
 * with kramdown's attribute lists ({@link KramdownMarkdown}),
 * then cleaned by a jsoup allow-list, so whatever the Markdown parser lets through, only listed tags, attributes and
 * URL schemes remain. Thread-safe: parser, renderer and safelist are immutable once built.
 */
final class BodyRenderer {

    private final KramdownMarkdown markdown = new KramdownMarkdown();
    private final Safelist safelist;
    private final Cleaner cleaner;
    private final Set<String> iframeHosts;
    private final String baseUri;

    BodyRenderer(List<String> iframeHosts, String baseUri) {
        this.iframeHosts = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        this.iframeHosts.addAll(iframeHosts);
        this.baseUri = baseUri + "/";
        this.safelist = Safelist.relaxed()
                .addTags("figure", "figcaption", "hr", "abbr", "mark", "s", "del", "ins", "details", "summary",
                        "iframe")
                .addAttributes(":all", "class", "role", "title", "lang", "aria-label", "aria-hidden")
                .addAttributes("a", "target", "rel")
                .addAttributes("iframe", "src", "width", "height", "title", "allow", "allowfullscreen",
                        "frameborder", "loading", "referrerpolicy")
                .addAttributes("td", "align").addAttributes("th", "align")
                .addProtocols("a", "href", "http", "https", "mailto", "tel")
                .addProtocols("iframe", "src", "https")
                .preserveRelativeLinks(true);
        // Stateless once built (it only reads the safelist), so one is shared by the rendering threads.
        this.cleaner = new Cleaner(safelist);
    }

    /** Sanitised HTML of a Markdown text and its plain text (empty strings for no text). */
    record Html(String html, String text) {
    }

    static final Html EMPTY = new Html("", "");

    /** Sanitised HTML of a Markdown text, or the empty string (a body: its text is not needed). */
    String render(String source) {
        if (source == null || source.isBlank()) {
            return "";
        }
        return clean(source).html();
    }

    /** Sanitised HTML and plain text from the same tree, so a lead is parsed once for the page, feed and .ics. */
    Html renderWithText(String source) {
        if (source == null || source.isBlank()) {
            return EMPTY;
        }
        Element body = clean(source);
        return new Html(body.html(), body.text());
    }

    /** The sanitised body element of a Markdown text. */
    private Element clean(String source) {
        String html = markdown.toHtml(source);
        Document dirty = org.jsoup.Jsoup.parseBodyFragment(html, baseUri);
        Document clean = cleaner.clean(dirty);
        if (elementCount(clean.body()) < elementCount(dirty.body())) {
            // Elements were dropped and their children kept: the tree may now nest what HTML cannot (a table in a p,
            // once the <math><mtext> between them is gone), which would not parse back the same. Parsing the cleaned
            // HTML again gives the tree a browser builds from it; it only holds allowed elements, so it stays clean.
            clean.outputSettings().prettyPrint(false);
            clean = org.jsoup.Jsoup.parseBodyFragment(clean.body().html(), baseUri);
        }
        clean.outputSettings().prettyPrint(false);
        // One walk over the cleaned tree (each select() would parse its query and walk the tree again).
        List<Element> headings = new ArrayList<>();
        List<Element> rejectedFrames = new ArrayList<>();
        TreeSet<Integer> levels = new TreeSet<>();
        for (Element element : clean.body().getAllElements()) {
            String tag = element.normalName();
            if (tag.equals("iframe")) {
                if (!allowedFrame(element.attr("src"))) {
                    rejectedFrames.add(element);
                } else {
                    element.attr("loading", "lazy").attr("referrerpolicy", "strict-origin-when-cross-origin");
                    if (!element.hasAttr("title")) {
                        element.attr("title", "Vidéo");
                    }
                }
            } else if (tag.equals("a") && element.hasAttr("target")) {
                element.attr("rel", "noopener noreferrer");
            } else if (tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '6') {
                headings.add(element);
                levels.add(tag.charAt(1) - '0');
            }
        }
        rejectedFrames.forEach(Element::remove);
        shiftHeadings(headings, levels);
        return clean.body();
    }

    /** Elements under (and including) a root, counted without collecting them. */
    private static int elementCount(Element root) {
        int[] count = {0};
        root.traverse((node, depth) -> {
            if (node instanceof Element) {
                count[0]++;
            }
        });
        return count[0];
    }

    /** Plain text of a Markdown text, for meta descriptions, feeds and JSON-LD. */
    String text(String source) {
        return renderWithText(source).text();
    }

    private boolean allowedFrame(String src) {
        try {
            URI uri = URI.create(src);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                    && iframeHosts.contains(uri.getHost().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException invalid) {
            return false;
        }
    }

    /**
     * The page title is the only h1; body headings are renumbered from h2 by rank so the outline never skips a level
     * (editors pick heading levels for their size).
     */
    private static void shiftHeadings(List<Element> headings, TreeSet<Integer> levels) {
        List<Integer> ranks = List.copyOf(levels);
        for (Element h : headings) {
            int rank = ranks.indexOf(h.tagName().charAt(1) - '0');
            h.tagName("h" + Math.min(6, 2 + rank));
        }
    }
}
