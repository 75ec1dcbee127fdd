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

    /** Where the body's site-relative images are ({@link SiteProperties#media}). */
    private final java.util.function.UnaryOperator<String> media;

    BodyRenderer(List<String> iframeHosts, String baseUri) {
        this(iframeHosts, baseUri, java.util.function.UnaryOperator.identity());
    }

    BodyRenderer(List<String> iframeHosts, String baseUri, java.util.function.UnaryOperator<String> media) {
        this.media = media;
        this.iframeHosts = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        this.iframeHosts.addAll(iframeHosts);
        this.baseUri = baseUri + "/";
        this.safelist = Safelist.relaxed()
                .addTags("figure", "figcaption", "hr", "abbr", "mark", "s", "del", "ins", "details", "summary",
                        "iframe")
                .addAttributes(":all", "class", "role", "title", "lang", "aria-label", "aria-hidden")
                .addAttributes("a", "target", "rel")
                // id: editors' in-page menus (href="#forum-en-ligne"); values are checked and prefixed in clean().
                .addAttributes(":all", "id")
                // sandbox only ever takes rights away from the frame, so the editor's value is kept as written.
                .addAttributes("iframe", "src", "width", "height", "title", "allow", "allowfullscreen",
                        "frameborder", "loading", "referrerpolicy", "sandbox")
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
        return clean(source, true).html();
    }

    /** Sanitised HTML and plain text from the same tree, so a lead is parsed once for the page, feed and .ics. */
    Html renderWithText(String source) {
        if (source == null || source.isBlank()) {
            return EMPTY;
        }
        // Ids are the body's, for its in-page menus: a lead's would duplicate the body's on the page.
        Element body = clean(source, false);
        return new Html(body.html(), body.text());
    }

    /**
     * Sanitised HTML and plain text of a short Markdown text shown inside a line (an info row): a single paragraph
     * loses its {@code <p>}, several paragraphs become lines separated by {@code <br>}; other blocks (a list) stay.
     * Without {@code link}, anchors of the text are kept; with one, the caller wraps the result in its own link, and
     * anchors inside are unwrapped (an anchor cannot hold another).
     */
    Html renderInline(String source, boolean insideLink) {
        if (source == null || source.isBlank()) {
            return EMPTY;
        }
        if (plainText(source)) {
            // Most rows ("14h-18h", "Entrée gratuite") hold nothing Markdown or HTML would read: the same escaped
            // text as the full path, without a parse and a clean per row.
            // As jsoup writes a text node: "&", "<" and ">" cannot be there, nor no-break spaces (see plainText).
            return new Html(source, source);
        }
        return renderInlineFully(source, insideLink);
    }

    /** {@link #renderInline} without its plain-text shortcut (which must give the same result). */
    Html renderInlineFully(String source, boolean insideLink) {
        // No ids: several rows of a page could carry the same one.
        Element body = clean(source, false);
        if (body.children().stream().allMatch(child -> child.normalName().equals("p"))) {
            // The newlines between the paragraphs would otherwise be left around the <br>s.
            body.textNodes().stream().filter(org.jsoup.nodes.TextNode::isBlank).toList()
                    .forEach(org.jsoup.nodes.Node::remove);
            List<Element> paragraphs = List.copyOf(body.children());
            for (int i = 0; i < paragraphs.size(); i++) {
                Element paragraph = paragraphs.get(i);
                if (i > 0) {
                    paragraph.before(new Element("br"));
                }
                paragraph.unwrap();
            }
        }
        if (insideLink) {
            body.select("a").forEach(Element::unwrap);
        }
        return new Html(body.html().strip(), body.text());
    }

    /**
     * One line of text that the Markdown parser (with its autolinks) and the sanitiser would both leave as it is: no
     * markup character, no URL or address to link, nothing a line may start a block with, no space to collapse.
     */
    static boolean plainText(String source) {
        if (source.isEmpty() || source.length() > 200 || !source.equals(source.strip())) {
            return false;
        }
        char first = source.charAt(0);
        if (first == '-' || first == '+' || first == '=') {
            return false;
        }
        int digits = 0;
        while (digits < source.length() && source.charAt(digits) >= '0' && source.charAt(digits) <= '9') {
            digits++;
        }
        if (digits > 0 && digits < source.length() && ".)".indexOf(source.charAt(digits)) >= 0) {
            return false; // "1. " or "1) " starts an ordered list
        }
        char previous = 'x';
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if ("<>&*_[]`\\#!~|:@{}".indexOf(c) >= 0 || (c == ' ' && previous == ' ')
                    || (c != ' ' && (Character.isWhitespace(c) || Character.isSpaceChar(c)))
                    || Character.isISOControl(c)) {
                return false;
            }
            previous = c;
        }
        return !source.contains("www.");
    }

    /** Characters an editor's id may hold: enough for in-page menus, nothing a selector or URL would misread. */
    private static final java.util.regex.Pattern SAFE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * Prefix of the ids editors give to body elements: they cannot take the page's own ids (infos-pratiques,
     * contenu, filtre...), and the hyphen keeps them from shadowing a global a script could read (DOM clobbering).
     */
    static final String ID_PREFIX = "contenu-";

    /** The sanitised body element of a Markdown text; {@code keepIds}: the editor's ids are kept, prefixed. */
    private Element clean(String source, boolean keepIds) {
        String html = markdown.toHtml(source);
        Document dirty = org.jsoup.Jsoup.parseBodyFragment(html, baseUri);
        // The corpus centres blocks with the obsolete align="center" (not allowed: tables keep theirs); the site's
        // stylesheet has the class for it.
        for (Element centred : dirty.body().getElementsByAttributeValue("align", "center")) {
            String tag = centred.normalName();
            if (!tag.equals("td") && !tag.equals("th")) {
                centred.addClass("text-center").removeAttr("align");
            }
        }
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
        List<Element> fragmentLinks = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        TreeSet<Integer> levels = new TreeSet<>();
        for (Element element : clean.body().getAllElements()) {
            String tag = element.normalName();
            if (element.hasAttr("id")) {
                String id = element.attr("id");
                if (keepIds && SAFE_ID.matcher(id).matches() && ids.add(id)) {
                    element.attr("id", ID_PREFIX + id);
                } else {
                    // Not kept here, unusable in a link, or a duplicate the first one already answers.
                    element.removeAttr("id");
                }
            }
            if (tag.equals("img") || tag.equals("iframe")) {
                dimensions(element);
            }
            if (tag.equals("img") && element.hasAttr("src")) {
                element.attr("src", media.apply(element.attr("src")));
            }
            if (tag.equals("a") && element.attr("href").startsWith("#")) {
                fragmentLinks.add(element);
            }
            if (tag.equals("iframe")) {
                if (!allowedFrame(element.attr("src"))) {
                    rejectedFrames.add(element);
                } else {
                    element.attr("loading", "lazy").attr("referrerpolicy", "strict-origin-when-cross-origin");
                    if (!element.hasAttr("title")) {
                        element.attr("title", "Vidéo");
                    }
                }
            } else if (tag.equals("a")) {
                if (element.hasAttr("target")) {
                    element.attr("rel", "noopener noreferrer");
                }
                repairScheme(element);
            } else if (tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '6') {
                headings.add(element);
                levels.add(tag.charAt(1) - '0');
            }
        }
        rejectedFrames.forEach(Element::remove);
        // Links to an id of the same text follow its prefix; others (#infos-pratiques, the page's own) are kept.
        for (Element link : fragmentLinks) {
            String target = link.attr("href").substring(1);
            if (ids.contains(target)) {
                link.attr("href", "#" + ID_PREFIX + target);
            }
        }
        shiftHeadings(headings, levels);
        return clean.body();
    }

    private static final java.util.regex.Pattern PIXELS = java.util.regex.Pattern.compile("[0-9]{1,5}");
    private static final java.util.regex.Pattern PERCENT = java.util.regex.Pattern.compile("([0-9]{1,3})\\s*%");

    /**
     * HTML's width and height are pixels only: the corpus' {@code width="20%"} (logos on a forum page) is a
     * validation error browsers happen to honour. A percentage width becomes the CSS it meant, written here from its
     * digits (the editor's style attributes are still dropped); any other non-pixel value goes.
     */
    private static void dimensions(Element element) {
        for (String name : List.of("width", "height")) {
            String value = element.attr(name).strip();
            if (!element.hasAttr(name) || PIXELS.matcher(value).matches()) {
                continue;
            }
            element.removeAttr(name);
            java.util.regex.Matcher percent = PERCENT.matcher(value);
            if (name.equals("width") && percent.matches() && Integer.parseInt(percent.group(1)) <= 100) {
                element.attr("style", "width: " + Integer.parseInt(percent.group(1)) + "%");
            }
        }
    }

    private static final java.util.regex.Pattern MAILTO_AS_HOST =
            java.util.regex.Pattern.compile("(?i)https?://mailto:(.+)");
    private static final java.util.regex.Pattern ONE_SLASH = java.util.regex.Pattern.compile("(?i)(https?):/([^/].*)");

    /**
     * Two typing slips of the corpus: « http://mailto:x@y.fr » (a browser opens y.fr with « mailto:x » as credentials
     * instead of writing to x@y.fr) and « https:/host/… » (invalid). What they become is still an allowed scheme.
     */
    private static void repairScheme(Element link) {
        String href = link.attr("href");
        java.util.regex.Matcher mailto = MAILTO_AS_HOST.matcher(href);
        if (mailto.matches()) {
            link.attr("href", "mailto:" + mailto.group(1));
            return;
        }
        java.util.regex.Matcher slash = ONE_SLASH.matcher(href);
        if (slash.matches()) {
            link.attr("href", slash.group(1).toLowerCase(Locale.ROOT) + "://" + slash.group(2));
        }
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
     * The page title is the only h1; body headings are renumbered from h2 by rank (editors pick heading levels for
     * their size), and none goes more than one level below the heading before it: ranks alone left the corpus'
     * « ### Déroulé » before its « ## » sections, or a lone « #### », as an h3 or h4 right after the page's h1.
     */
    private static void shiftHeadings(List<Element> headings, TreeSet<Integer> levels) {
        List<Integer> ranks = List.copyOf(levels);
        int previous = 1;
        for (Element h : headings) {
            int rank = ranks.indexOf(h.tagName().charAt(1) - '0');
            int level = Math.min(Math.min(6, 2 + rank), previous + 1);
            h.tagName("h" + level);
            previous = level;
        }
    }
}
