package dev.agenda.notification.bounce;

/**
 * What a bounce says about the address it came back for.
 *
 * @param kind   what is done about it: only {@link Kind#HARD} suppresses the address
 * @param status the enhanced status code (RFC 3463) it gave, e.g. "5.1.1"; null if none
 * @param detail the server's words (a DSN's Diagnostic-Code, an SMTP reply), for the admin; may be null
 */
public record Bounce(Kind kind, String status, String detail) {

    public enum Kind {
        /** The mailbox or its domain does not exist, or is disabled: nothing sent there will ever arrive. */
        HARD,
        /** Refused for what the message or its sender is (spam filter, reputation, policy): not the address's fault. */
        POLICY,
        /** Delayed, or failed for a reason that may pass (a full mailbox, a 4.x.x). */
        SOFT,
        /** Failed, but for a reason that does not say the address is gone (too large, a loop, no status). */
        UNCLEAR,
        /** No delivery failure at all: an auto-reply, a success report, a message a person wrote. */
        NOT_A_BOUNCE;

        /** As the metrics tag it. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * How a failure with this enhanced status code is taken. Conservative: only codes that name the recipient's
     * address as unknown or disabled are HARD; 5.1.7 and 5.1.8 are about the sender's address, 5.1.4 (ambiguous) and
     * 5.1.5 (valid) prove nothing wrong with it, and 5.2.2 (mailbox full) is often only for a while.
     *
     * @param status an enhanced status code ("5.1.1"), or null
     */
    public static Kind ofFailure(String status) {
        if (status == null) {
            return Kind.UNCLEAR;
        }
        String[] parts = status.strip().split("\\.");
        if (parts.length != 3) {
            return Kind.UNCLEAR;
        }
        int subject;
        int detail;
        try {
            subject = Integer.parseInt(parts[1]);
            detail = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
            return Kind.UNCLEAR;
        }
        return switch (parts[0]) {
            case "2" -> Kind.NOT_A_BOUNCE;
            case "4" -> Kind.SOFT;
            case "5" -> {
                if (subject == 7) {
                    yield Kind.POLICY;
                }
                if (subject == 1 && (detail <= 3 || detail == 6 || detail == 10)) {
                    // 5.1.0 other address status, 5.1.1 bad mailbox, 5.1.2 bad domain, 5.1.3 bad syntax, 5.1.6
                    // mailbox moved, 5.1.10 null MX (RFC 7505)
                    yield Kind.HARD;
                }
                if (subject == 2 && detail == 1) {
                    yield Kind.HARD; // mailbox disabled
                }
                if (subject == 2 && detail == 2) {
                    yield Kind.SOFT; // mailbox full
                }
                yield Kind.UNCLEAR;
            }
            default -> Kind.UNCLEAR;
        };
    }
}
