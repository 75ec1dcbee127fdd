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
        Node document = parser.parse(separateAttributeLines(source));
        Map<Node, Map<String, String>> attributes = new IdentityHashMap<>();
        applyAttributeLists(document, attributes);
        if (attributes.isEmpty()) {
            return renderer.render(document);
        }
        ATTRIBUTES.set(attributes);
        try {
            return renderer.render(document);
        } finally {
            ATTRIBUTES.remove();
        }
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
        for (String line : lines) {
            boolean isList = IAL_LINE.matcher(line).matches();
            if (isList && previous.stripLeading().startsWith(">") && !line.stripLeading().startsWith(">")) {
                out.append('\n');
            } else if (previousIsList && !line.replace('>', ' ').isBlank() && !isList) {
                String prefix = previous.substring(0, previous.indexOf('{'));
                out.append(prefix.stripTrailing()).append('\n');
            }
            out.append(line).append('\n');
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
