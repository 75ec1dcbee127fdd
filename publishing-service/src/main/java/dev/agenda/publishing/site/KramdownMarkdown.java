package dev.agenda.publishing.site;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Document;
import org.commonmark.node.Emphasis;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * kramdown-flavoured Markdown (what the corpus' editors wrote for Jekyll) to HTML with commonmark-java, which is
 * CommonMark plus GFM tables, strikethrough and autolinks, and kramdown's inline attribute lists:
 * <ul>
 * <li>{@code [lien](url){:target="_blank"}}: the list right after a link (image, emphasis, code) sets its
 * attributes;</li>
 * <li>a line {@code {: .classe role="presentation"}} right after a block sets the attributes of that block; alone in
 * its paragraph (after a blank line, or after a blockquote) it sets those of the block before it.</li>
 * </ul>
 * Thread-safe: parser and renderer are immutable; the attributes of one document travel with the render call.
 */
final class KramdownMarkdown {

    /** A line holding only an attribute list, possibly quoted. */
    private static final Pattern IAL_LINE = Pattern.compile("^[\\s>]*\\{:[^}\\n]*\\}\\s*$");
    /**
     * A whole kramdown attribute list (text in braces without the colon stays text). Its leading spaces are stripped
     * from the group, not matched by a {@code \\s*} of their own: two quantifiers over the same spaces, before a brace
     * that never comes, tried every split of them (a body holding "{:" and 150,000 spaces held the site's consumer
     * for minutes). Possessive, the content is read once.
     */
    private static final Pattern WHOLE_IAL = Pattern.compile("\\{:([^{}\\n]*+)\\}");
    /**
     * One attribute of a list. A key starts at a boundary (not after a character a key may hold): tried from every
     * letter of a long word with no "=" after it, the key read that word to its end each time, quadratic in its length.
     */
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "\\.([^\\s.#=\"'{}]++)|#([^\\s.#=\"'{}]++)|(?<![-A-Za-z0-9_:.])([A-Za-z_:][-A-Za-z0-9_:.]*+)=(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'{}]++))");
    private static final ThreadLocal<Map<Node, Map<String, String>>> ATTRIBUTES = new ThreadLocal<>();

    private final Parser parser;
    private final HtmlRenderer renderer;

    KramdownMarkdown() {
        List<Extension> extensions = List.of(TablesExtension.create(), StrikethroughExtension.create(),
                AutolinkExtension.create());
        this.parser = Parser.builder().extensions(extensions).build();
        this.renderer = HtmlRenderer.builder().extensions(extensions)
                .attributeProviderFactory(context -> (node, tagName, attributes) -> {
                    Map<Node, Map<String, String>> all = ATTRIBUTES.get();
                    Map<String, String> own = all == null ? null : all.get(node);
                    if (own != null) {
                        own.forEach((name, value) -> attributes.merge(name, value,
                                (a, b) -> name.equals("class") ? a + " " + b : b));
                    }
                }).build();
    }

    String toHtml(String source) {
        SpanTagLines spanTags = SpanTagLines.hide(endHtmlBlocksAtTheirClosingTag(source));
        Node document = parser.parse(separateAttributeLines(spanTags.source()));
        Map<Node, Map<String, String>> attributes = new IdentityHashMap<>();
        applyAttributeLists(document, attributes);
        if (attributes.isEmpty()) {
            return spanTags.restore(renderer.render(document));
        }
        ATTRIBUTES.set(attributes);
        try {
            return spanTags.restore(renderer.render(document));
        } finally {
            ATTRIBUTES.remove();
        }
    }

    /**
     * Lines made of one span-level tag alone ({@code <img src="…" align="left">}, {@code <br>}, {@code <a href="…">}):
     * kramdown starts a paragraph with them, which a list or a quote on a later line interrupts; CommonMark starts a
     * raw HTML block that runs to the next blank line, and published that list as « * item » text. Each such tag is
     * hidden behind a placeholder while the Markdown is parsed (so its line reads as the paragraph text it is to
     * kramdown), then put back, raw as before, into the HTML (which the sanitiser reads next).
     */
    record SpanTagLines(String source, List<String> tags) {

        private static final Pattern LONE_SPAN_TAG = Pattern.compile(
                "^( {0,3})(</?(?i:a|abbr|b|bdi|bdo|br|cite|code|del|dfn|em|font|i|img|ins|kbd|mark|q|s|samp|small|span"
                        + "|strong|sub|sup|time|u|var)(?=[\\s/>])[^<>]*+>)\\s*$");
        private static final char OPEN = '\uE000';
        private static final char CLOSE = '\uE001';
        private static final Pattern PLACEHOLDER = Pattern.compile(OPEN + "(\\d++)" + CLOSE);

        static SpanTagLines hide(String source) {
            if (source.indexOf('<') < 0 || source.indexOf(OPEN) >= 0 || source.indexOf(CLOSE) >= 0) {
                return new SpanTagLines(source, List.of());
            }
            String[] lines = source.split("\n", -1);
            List<String> tags = new ArrayList<>();
            boolean fenced = false;
            for (int i = 0; i < lines.length; i++) {
                if (FENCE.matcher(lines[i]).lookingAt()) {
                    fenced = !fenced;
                    continue;
                }
                Matcher lone = fenced ? null : LONE_SPAN_TAG.matcher(lines[i]);
                if (lone != null && lone.matches()) {
                    lines[i] = lone.group(1) + OPEN + tags.size() + CLOSE;
                    tags.add(lone.group(2));
                }
            }
            return tags.isEmpty() ? new SpanTagLines(source, tags) : new SpanTagLines(String.join("\n", lines), tags);
        }

        String restore(String html) {
            if (tags.isEmpty()) {
                return html;
            }
            Matcher placeholder = PLACEHOLDER.matcher(html);
            StringBuilder out = new StringBuilder(html.length() + 64 * tags.size());
            while (placeholder.find()) {
                placeholder.appendReplacement(out, Matcher.quoteReplacement(tags.get(Integer.parseInt(
                        placeholder.group(1)))));
            }
            return placeholder.appendTail(out).toString();
        }
    }

    /**
     * Block-level elements whose raw HTML block kramdown ends at the matching closing tag (its list of block
     * elements, the ones the corpus uses among them).
     */
    private static final java.util.Set<String> BLOCK_ELEMENTS = java.util.Set.of("address", "article", "aside",
            "blockquote", "center", "dd", "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
            "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "iframe", "li", "main", "nav", "ol", "p",
            "section", "summary", "table", "ul", "video");
    /** A line that starts a raw HTML block: a block-level start tag, indented by three spaces at most. */
    private static final Pattern BLOCK_START = Pattern.compile("^ {0,3}<([A-Za-z][A-Za-z0-9]*+)(?=[\\s/>]|$)");
    private static final Pattern TAG = Pattern.compile("<(/?)([A-Za-z][A-Za-z0-9]*+)(?=[\\s/>]|$)([^<>]*+)");
    private static final Pattern LIST_ITEM = Pattern.compile("^ {0,3}(?:[*+-]|\\d{1,9}[.)])[ \\t]");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");

    /**
     * A blank line after a raw HTML block's closing tag when Markdown follows on the next line. kramdown ends such a
     * block at the tag that closes it, and reads the next line as Markdown; CommonMark ends it only at a blank line,
     * so a list, a quote or a paragraph written right after {@code </section>} or {@code </h3>} was published as raw
     * text (« * Choisissez… », « > {: .text-center} »). Only a closing tag that ends its line counts, the block's own
     * element nested or not, outside fenced code.
     */
    static String endHtmlBlocksAtTheirClosingTag(String source) {
        if (source.indexOf("</") < 0) {
            return source;
        }
        String[] lines = source.replace("\r\n", "\n").split("\n", -1);
        StringBuilder out = new StringBuilder(source.length() + 16);
        String open = null;
        int depth = 0;
        boolean fenced = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            out.append(line);
            if (i < lines.length - 1) {
                out.append('\n');
            }
            if (FENCE.matcher(line).lookingAt()) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            if (open == null) {
                Matcher start = BLOCK_START.matcher(line);
                if (!start.lookingAt() || !BLOCK_ELEMENTS.contains(start.group(1).toLowerCase(java.util.Locale.ROOT))) {
                    continue;
                }
                open = start.group(1).toLowerCase(java.util.Locale.ROOT);
                depth = 0;
            }
            Matcher tag = TAG.matcher(line);
            while (tag.find()) {
                if (tag.group(2).equalsIgnoreCase(open) && !tag.group(3).endsWith("/")) {
                    depth += tag.group(1).isEmpty() ? 1 : -1;
                }
            }
            if (depth <= 0) {
                String closing = "</" + open + ">";
                String end = line.stripTrailing();
                open = null;
                boolean closedAtTheEnd = end.length() >= closing.length()
                        && end.regionMatches(true, end.length() - closing.length(), closing, 0, closing.length());
                if (closedAtTheEnd && i + 1 < lines.length && !lines[i + 1].isBlank()) {
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    /**
     * Blank lines around attribute lines, as kramdown reads them: an attribute line ends the block before it (the next
     * line starts a new paragraph, inside the same blockquote if it is quoted), and a line right after a blockquote
     * line belongs to the blockquote, where CommonMark would read it as a lazy continuation of the quoted paragraph.
     */
    static String separateAttributeLines(String source) {
        if (!source.contains("{:")) {
            return source;
        }
        String[] lines = source.replace("\r\n", "\n").split("\n", -1);
        StringBuilder out = new StringBuilder(source.length() + 16);
        String previous = "";
        boolean previousIsList = false;
        boolean inListItem = false;
        for (String line : lines) {
            boolean isList = IAL_LINE.matcher(line).matches();
            if (isList && previous.stripLeading().startsWith(">") && !line.stripLeading().startsWith(">")) {
                out.append('\n');
            } else if (isList && inListItem && line.startsWith("{:")) {
                // Unindented after a list item (kramdown ends the list there): the list's attributes, not those of
                // the item's paragraph, which a tight list does not even print.
                out.append('\n');
            } else if (previousIsList && !line.replace('>', ' ').isBlank() && !isList) {
                String prefix = previous.substring(0, previous.indexOf('{'));
                out.append(prefix.stripTrailing()).append('\n');
            }
            out.append(line).append('\n');
            inListItem = LIST_ITEM.matcher(line).lookingAt() || (inListItem && !line.isBlank() && !isList);
            previous = line;
            previousIsList = isList;
        }
        return out.toString();
    }

    private static void applyAttributeLists(Node document, Map<Node, Map<String, String>> attributes) {
        List<Paragraph> paragraphs = new ArrayList<>();
        List<Text> texts = new ArrayList<>();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Paragraph paragraph) {
                paragraphs.add(paragraph);
                visitChildren(paragraph);
            }

            @Override
            public void visit(Text text) {
                if (text.getLiteral().contains("{:")) {
                    texts.add(text);
                }
            }
        });
        for (Text text : texts) {
            Node previous = text.getPrevious();
            Matcher ial = WHOLE_IAL.matcher(text.getLiteral());
            boolean atStart = ial.lookingAt();
            if (atStart && (previous instanceof Link || previous instanceof Image || previous instanceof Emphasis
                    || previous instanceof StrongEmphasis || previous instanceof Code)) {
                put(attributes, previous, ial.group(1));
                String rest = text.getLiteral().substring(ial.end());
                if (rest.isEmpty()) {
                    text.unlink();
                } else {
                    text.setLiteral(rest);
                }
            } else if (ial.reset().find() && !isWholeLine(text)) {
                // After plain text (a link whose brackets the editor broke) an attribute list has nothing to set,
                // and kramdown would not print it: drop it rather than show "{:target=...}" to readers.
                text.setLiteral(WHOLE_IAL.matcher(text.getLiteral()).replaceAll(""));
            }
        }
        for (Paragraph paragraph : paragraphs) {
            List<String> lists = new ArrayList<>();
            // Attribute lines at the end of the paragraph, last first.
            while (paragraph.getLastChild() instanceof Text last && isWholeList(last.getLiteral())
                    && (last.getPrevious() == null || last.getPrevious() instanceof SoftLineBreak
                    || last.getPrevious() instanceof HardLineBreak)) {
                lists.add(0, last.getLiteral().strip());
                Node lineBreak = last.getPrevious();
                last.unlink();
                if (lineBreak != null) {
                    lineBreak.unlink();
                }
            }
            if (lists.isEmpty()) {
                continue;
            }
            Node target = paragraph;
            if (paragraph.getFirstChild() == null) {
                target = paragraph.getPrevious() != null ? paragraph.getPrevious()
                        : paragraph.getParent() instanceof Document ? null : paragraph.getParent();
                paragraph.unlink();
            }
            if (target != null) {
                for (String list : lists) {
                    Matcher ial = WHOLE_IAL.matcher(list);
                    if (ial.matches()) {
                        put(attributes, target, ial.group(1));
                    }
                }
            }
        }
    }

    /** An attribute list alone on its line of a paragraph: a block attribute list, handled with its paragraph. */
    private static boolean isWholeLine(Text text) {
        return isWholeList(text.getLiteral()) && text.getParent() instanceof Paragraph
                && (text.getPrevious() == null || text.getPrevious() instanceof SoftLineBreak
                || text.getPrevious() instanceof HardLineBreak)
                && (text.getNext() == null || text.getNext() instanceof SoftLineBreak
                || text.getNext() instanceof HardLineBreak);
    }

    private static boolean isWholeList(String literal) {
        return WHOLE_IAL.matcher(literal.strip()).matches();
    }

    /** Classes accumulate; {@code #id} and {@code name="value"} pairs set (and replace) their attribute. */
    private static void put(Map<Node, Map<String, String>> attributes, Node node, String list) {
        Map<String, String> own = attributes.computeIfAbsent(node, n -> new LinkedHashMap<>());
        Matcher attribute = ATTRIBUTE.matcher(list);
        while (attribute.find()) {
            if (attribute.group(1) != null) {
                own.merge("class", attribute.group(1), (a, b) -> a + " " + b);
            } else if (attribute.group(2) != null) {
                own.put("id", attribute.group(2));
            } else {
                String value = attribute.group(4) != null ? attribute.group(4)
                        : attribute.group(5) != null ? attribute.group(5) : attribute.group(6);
                own.put(attribute.group(3), value);
            }
        }
    }
}
