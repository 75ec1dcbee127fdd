package dev.agenda.support.ical;

import java.util.regex.Pattern;

/**
 * Folds iCalendar content lines at 75 octets, as RFC 5545 §3.1 requires. ical4j's FoldingWriter counts UTF-16
 * chars (73 of them), so a French line with a few accented letters exceeds 75 octets, and a fold may fall between
 * the two halves of a surrogate pair (an emoji), which no UTF-8 encoder can write: the character became « ? ».
 * Strict parsers and some calendar importers reject or mangle such lines. Used by the site's {@code .ics} files and
 * by the emails' attachments alike.
 */
public final class IcsLines {

    private static final int MAX_OCTETS = 75;

    private static final Pattern BREAKS = Pattern.compile(
            "\\r\\n|[\\r\\n\\u000B\\u000C\\u0085\\u2028\\u2029]");
    private static final Pattern CONTROLS = Pattern.compile(
            "[\\p{Cntrl}\\u0085\\u2028\\u2029]+");

    private IcsLines() {
    }

    /**
     * A multi-line TEXT value (DESCRIPTION) with every kind of line break as {@code \n}, the one ical4j escapes (as
     * it does {@code \r\n}). A lone carriage return went into the file as it was, and parsers take it for the end of
     * the content line: what followed it in a title or a lead was read as a property of its own (an ATTACH, an
     * alarm, the end of the event).
     */
    public static String text(String value) {
        return value == null ? null : BREAKS.matcher(value).replaceAll("\n");
    }

    /** A one-line TEXT value (SUMMARY, LOCATION): line breaks and other control characters become one space. */
    public static String oneLine(String value) {
        return value == null ? null : CONTROLS.matcher(value).replaceAll(" ").strip();
    }

    /** ical4j's output, unfolded and folded again by octets, never inside a UTF-8 sequence. */
    public static String refold(String ical) {
        String unfolded = ical.replace("\r\n ", "").replace("\r\n\t", "");
        StringBuilder out = new StringBuilder(unfolded.length() + unfolded.length() / 32);
        int lineStart = 0;
        while (lineStart < unfolded.length()) {
            int lineEnd = unfolded.indexOf("\r\n", lineStart);
            if (lineEnd < 0) {
                lineEnd = unfolded.length();
            }
            fold(unfolded, lineStart, lineEnd, out);
            out.append("\r\n");
            lineStart = lineEnd + 2;
        }
        return out.toString();
    }

    private static void fold(String text, int from, int to, StringBuilder out) {
        int octets = 0;
        int i = from;
        while (i < to) {
            int codePoint = text.codePointAt(i);
            int size = utf8Length(codePoint);
            if (octets + size > MAX_OCTETS) {
                out.append("\r\n ");
                octets = 1; // the space that marks the continuation counts in the 75
            }
            out.appendCodePoint(codePoint);
            octets += size;
            i += Character.charCount(codePoint);
        }
    }

    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }
}
