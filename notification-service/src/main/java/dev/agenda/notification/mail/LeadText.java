package dev.agenda.notification.mail;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jsoup.Jsoup;

/**
 * The lead as a reader of an email or a calendar entry should see it. Editors write it in the site's kramdown
 * (a sixth of the corpus' leads hold a link, bold text, an attribute list or an HTML tag), which the notices showed
 * as typed: « [programme TECH.GOUV](https://…){:target="_blank"} », « **2e promotion** », {@code <span lang="en">}.
 * Only the inline syntax a lead uses is read; each line stays a line.
 */
final class LeadText {

    private static final Pattern ATTRIBUTE_LIST = Pattern.compile("\\{:[^}\\n]*\\}");
    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]\\n]*)\\]\\([^)\\s]*(?:\\s+\"[^\"]*\")?\\)");
    /** A Markdown link; its address may hold one level of parentheses, as Markdown allows (read once: possessive). */
    private static final Pattern LINK = Pattern.compile(
            "\\[([^\\]\\n]+)\\]\\(((?:[^()\\s]|\\([^()\\s]*+\\))++)(?:\\s+\"[^\"]*\")?\\)");
    /** An automatic link, {@code <https://…>} or {@code <name@example.org>}: its address is its text. */
    private static final Pattern AUTOLINK = Pattern.compile("<((?:https?://|mailto:)[^\\s<>]+|[^\\s<>@:/]+@[^\\s<>@]+)>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern STRONG = Pattern.compile("(\\*\\*|__)(\\S(?:.*?\\S)?)\\1");
    private static final Pattern EMPHASIS = Pattern.compile("(?<![\\w*])\\*(\\S(?:[^*\\n]*?\\S)?)\\*(?![\\w*])");

    private LeadText() {
    }

    /** Addresses a reader can follow from an email; any other scheme ({@code javascript:}...) keeps its text only. */
    private static final Pattern FOLLOWABLE = Pattern.compile("(?i)(https?://|mailto:)\\S+");
    /** Elements whose content is code, not text, and may span lines: removed before the lead is read line by line. */
    private static final Pattern CODE_ELEMENT = Pattern.compile("(?is)<(script|style)\\b.*?(</\\1\\s*>|\\z)");
    /** A web address in the plain text, which the HTML part makes a link (a closing parenthesis ends it). */
    private static final Pattern ADDRESS = Pattern.compile("(?i)\\b(?:https?://|mailto:)[^\\s()<>]+");
    /** A '&' not already written as {@code &amp;}. */
    private static final Pattern BARE_AMPERSAND = Pattern.compile("&(?!amp;)");
    private static final Pattern LIST_ITEM = Pattern.compile("^[*+-] +(.+)$");

    /**
     * Plain text: a link becomes « text (address) », unless its text is its address or it cannot be followed from an
     * email (a site-relative or {@code javascript:} one); emphasis marks go; scripts and styles go whole.
     */
    static String plain(String lead) {
        if (lead == null || lead.isBlank()) {
            return lead;
        }
        String source = lead.indexOf('<') >= 0 ? CODE_ELEMENT.matcher(lead).replaceAll("") : lead;
        return source.lines().map(LeadText::line).collect(Collectors.joining("\n")).strip();
    }

    /**
     * The plain text of {@link #plain} as the HTML part shows it: paragraphs where the lead has blank lines, its
     * other line breaks kept, « * item » lines as a list, web addresses as links. Built from escaped text only.
     */
    static String html(String plain) {
        if (plain == null || plain.isBlank()) {
            return null;
        }
        StringBuilder html = new StringBuilder(plain.length() * 2);
        for (String paragraph : plain.strip().split("\n\\s*\n")) {
            boolean inList = false;
            boolean lineOpen = false;
            for (String line : paragraph.strip().split("\n")) {
                java.util.regex.Matcher item = LIST_ITEM.matcher(line.strip());
                if (item.matches()) {
                    if (lineOpen) {
                        html.append("</p>");
                        lineOpen = false;
                    }
                    html.append(inList ? "" : "<ul>").append("<li>").append(linked(item.group(1))).append("</li>");
                    inList = true;
                    continue;
                }
                if (inList) {
                    html.append("</ul>");
                    inList = false;
                }
                html.append(lineOpen ? "<br>" : "<p>").append(linked(line.strip()));
                lineOpen = true;
            }
            html.append(inList ? "</ul>" : "").append(lineOpen ? "</p>" : "");
        }
        return html.toString();
    }

    private static String linked(String text) {
        java.util.regex.Matcher address = ADDRESS.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 32);
        int last = 0;
        while (address.find()) {
            String url = address.group().replaceAll("[.,;:!?]+$", "");
            out.append(org.jsoup.nodes.Entities.escape(text.substring(last, address.start())))
                    .append("<a href=\"").append(org.jsoup.nodes.Entities.escape(url)).append("\">")
                    .append(org.jsoup.nodes.Entities.escape(url)).append("</a>");
            last = address.start() + url.length();
        }
        return out.append(org.jsoup.nodes.Entities.escape(text.substring(last))).toString();
    }

    private static String line(String line) {
        String text = ATTRIBUTE_LIST.matcher(line).replaceAll("");
        text = IMAGE.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1)));
        text = LINK.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group(1).equals(m.group(2)) || !FOLLOWABLE.matcher(m.group(2)).matches() ? m.group(1)
                        : m.group(1) + " (" + m.group(2) + ")"));
        // Before the raw HTML below, which would read « <https://…> » as a tag and drop it.
        text = AUTOLINK.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1)));
        text = STRONG.matcher(text).replaceAll("$2");
        text = EMPHASIS.matcher(text).replaceAll("$1");
        if (text.indexOf('<') >= 0 || text.indexOf('&') >= 0) {
            // Raw HTML (a <span lang>, an entity): its text, as a browser would show it; a link keeps its address.
            // An address's '&' stays a '&': the HTML reading decodes « ?id=1&section=3 » as « ?id=1§ion=3 ».
            String addressesKept = ADDRESS.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                    BARE_AMPERSAND.matcher(m.group()).replaceAll("&amp;")));
            org.jsoup.nodes.Document fragment = Jsoup.parseBodyFragment(addressesKept);
            for (org.jsoup.nodes.Element anchor : fragment.select("a[href]")) {
                String href = anchor.attr("href").strip();
                if (FOLLOWABLE.matcher(href).matches() && !anchor.text().strip().equals(href)) {
                    anchor.appendText(" (" + href + ")");
                }
            }
            text = fragment.text();
        }
        return text.strip();
    }
}
