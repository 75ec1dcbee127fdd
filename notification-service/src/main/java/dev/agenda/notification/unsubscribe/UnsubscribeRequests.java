package dev.agenda.notification.unsubscribe;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;

/**
 * The tokens an unsubscribe request by mail may carry. The notices' List-Unsubscribe offers
 * {@code mailto:<address>?subject=unsubscribe%20<token>}; what arrives depends on the mail client: the subject as
 * offered, prefixed ("Re:", "Fwd:", "TR:"...), with other case or spaces, RFC 2047-encoded (decoded before it gets
 * here), or no subject at all and the words typed in the body. Only candidates come out of here: whether one
 * designates anybody is for the token's signature to say.
 */
public final class UnsubscribeRequests {

    /** A link token: two base64url parts joined by a dot (see LinkTokens). */
    private static final String TOKEN = "[A-Za-z0-9_-]{8,120}\\.[A-Za-z0-9_-]{8,120}";
    /** "unsubscribe" then the token; %20 and + for clients that leave the mailto's encoding in place. */
    private static final Pattern REQUEST = Pattern.compile(
            "(?<![A-Za-z0-9])unsubscribe(?:\\s|%20|\\+)+(" + TOKEN + ")(?![A-Za-z0-9_.-])",
            Pattern.CASE_INSENSITIVE);
    /** A body line holding the token alone (a person pasting it, a client dropping the word). */
    private static final Pattern BARE = Pattern.compile("^[\\s>]*(" + TOKEN + ")\\s*$");
    /** Body lines looked at: the request is at the top; below are signatures and quoted mails. */
    static final int BODY_LINES = 10;
    /** Candidates tried per message, so that a message stuffed with tokens costs a bounded number of checks. */
    static final int MAX_CANDIDATES = 3;

    private UnsubscribeRequests() {
    }

    /**
     * @param subject   the decoded subject, or null
     * @param bodyStart the beginning of the text body, or null
     * @return distinct candidate tokens, the subject's first, at most {@link #MAX_CANDIDATES}
     */
    public static List<String> candidates(String subject, String bodyStart) {
        Set<String> found = new LinkedHashSet<>();
        if (subject != null) {
            collect(REQUEST.matcher(subject), found);
        }
        if (bodyStart != null) {
            bodyStart.lines().filter(line -> !line.isBlank()).limit(BODY_LINES).forEach(line -> {
                collect(REQUEST.matcher(line), found);
                collect(BARE.matcher(line), found);
            });
        }
        return new ArrayList<>(found).subList(0, Math.min(found.size(), MAX_CANDIDATES));
    }

    /**
     * The text of an HTML body as the person saw it, one line per block or {@code <br>}: what {@link #candidates}
     * reads line by line (a token alone on its line, the first lines only). Scripts and styles are not text.
     */
    public static String textOfHtml(String html) {
        StringBuilder text = new StringBuilder();
        Element body = Jsoup.parse(html).body();
        body.traverse((node, depth) -> {
            if (node instanceof TextNode t) {
                text.append(t.text());
            } else if (node instanceof Element e && (e.isBlock() || e.normalName().equals("br"))) {
                text.append('\n');
            }
        });
        return text.toString();
    }

    private static void collect(Matcher matcher, Set<String> found) {
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
    }
}
