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
    private static final Pattern LINK = Pattern.compile("\\[([^\\]\\n]+)\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern STRONG = Pattern.compile("(\\*\\*|__)(\\S(?:.*?\\S)?)\\1");
    private static final Pattern EMPHASIS = Pattern.compile("(?<![\\w*])\\*(\\S(?:[^*\\n]*?\\S)?)\\*(?![\\w*])");

    private LeadText() {
    }

    /** Plain text: a link becomes « text (address) », unless its text is its address; emphasis marks go. */
    static String plain(String lead) {
        if (lead == null || lead.isBlank()) {
            return lead;
        }
        return lead.lines().map(LeadText::line).collect(Collectors.joining("\n")).strip();
    }

    private static String line(String line) {
        String text = ATTRIBUTE_LIST.matcher(line).replaceAll("");
        text = IMAGE.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1)));
        text = LINK.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group(1).equals(m.group(2)) || m.group(2).startsWith("/") ? m.group(1)
                        : m.group(1) + " (" + m.group(2) + ")"));
        text = STRONG.matcher(text).replaceAll("$2");
        text = EMPHASIS.matcher(text).replaceAll("$1");
        if (text.indexOf('<') >= 0 || text.indexOf('&') >= 0) {
            // Raw HTML (a <span lang>, an entity): its text, as a browser would show it.
            text = Jsoup.parseBodyFragment(text).text();
        }
        return text.strip();
    }
}
