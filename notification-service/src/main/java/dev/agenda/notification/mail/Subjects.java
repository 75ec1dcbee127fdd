package dev.agenda.notification.mail;

/** Text from events that ends up in a header. */
public final class Subjects {

    private Subjects() {
    }

    /**
     * Every line break and control character becomes a space: the whole title stays in the subject and nothing
     * after a CR/LF can become a header of its own. Jakarta Mail then encodes (RFC 2047) and folds it.
     */
    public static String singleLine(String text) {
        String flat = withoutLineBreaks(text);
        if (flat.length() <= 200) {
            return flat;
        }
        // Cut between two characters, not between the halves of an emoji (a lone surrogate is sent as « ? »).
        int end = Character.isHighSurrogate(flat.charAt(198)) ? 198 : 199;
        return flat.substring(0, end) + "…";
    }

    public static String withoutLineBreaks(String text) {
        if (text == null) {
            return "";
        }
        return text.replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u0085]+", " ").replaceAll(" {2,}", " ").strip();
    }
}
