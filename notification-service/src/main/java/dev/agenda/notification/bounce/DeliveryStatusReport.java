package dev.agenda.notification.bounce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code message/delivery-status} part of a bounce report (RFC 3464): one block of fields about the message, then
 * one block per recipient ({@code Action}, {@code Status}, {@code Final-Recipient}, {@code Diagnostic-Code}...), blocks
 * separated by blank lines, fields folded as in a mail header.
 */
public final class DeliveryStatusReport {

    /** Blocks read at most: a report about one VERP recipient has two; more is a report that is not about ours. */
    private static final int MAX_BLOCKS = 20;
    private static final Pattern ENHANCED = Pattern.compile("(?<![\\d.])([245]\\.\\d{1,3}\\.\\d{1,3})(?![\\d.])");
    private static final int DETAIL_LENGTH = 300;

    private DeliveryStatusReport() {
    }

    /**
     * What the report says about its recipient(s). Only a report whose every recipient block failed for good with an
     * address status ({@code Action: failed}, {@code Status: 5.1.1}...) is HARD; a report with recipients that
     * disagree (one of them delivered, a forward that failed...) is not: only a clear report suppresses anyone.
     *
     * @param text the body of the message/delivery-status part
     */
    public static Bounce read(String text) {
        List<Map<String, String>> blocks = blocks(text);
        List<Bounce> recipients = new ArrayList<>();
        // The first block is about the message; the per-recipient ones are those with an Action.
        for (Map<String, String> block : blocks) {
            if (block.containsKey("action")) {
                recipients.add(recipient(block));
            }
        }
        if (recipients.isEmpty()) {
            return new Bounce(Bounce.Kind.UNCLEAR, null, null);
        }
        if (recipients.stream().allMatch(b -> b.kind() == Bounce.Kind.HARD)) {
            return recipients.get(0);
        }
        for (Bounce.Kind kind : List.of(Bounce.Kind.POLICY, Bounce.Kind.UNCLEAR, Bounce.Kind.SOFT,
                Bounce.Kind.NOT_A_BOUNCE)) {
            for (Bounce b : recipients) {
                if (b.kind() == kind) {
                    return b;
                }
            }
        }
        return new Bounce(Bounce.Kind.UNCLEAR, null, null); // HARD mixed with none of the above cannot happen
    }

    private static Bounce recipient(Map<String, String> block) {
        String action = block.get("action").strip().toLowerCase(Locale.ROOT);
        String status = firstCode(block.get("status"));
        String diagnostic = block.get("diagnostic-code");
        String detail = diagnostic == null ? null : shortened(diagnostic);
        Bounce.Kind kind = switch (action) {
            case "failed" -> {
                Bounce.Kind byStatus = Bounce.ofFailure(status);
                // A spam or policy refusal that the reporting server filed under an address status (seen: Status
                // 5.1.1 from a relay quoting a remote "550 5.7.1"): the remote server's own words win.
                String remote = firstCode(diagnostic);
                if (byStatus == Bounce.Kind.HARD && remote != null && Bounce.ofFailure(remote) == Bounce.Kind.POLICY) {
                    yield Bounce.Kind.POLICY;
                }
                // "Action: failed" with a 4.x.x is a transient failure given up on: still not the address's fault.
                yield status != null && status.startsWith("4") ? Bounce.Kind.SOFT : byStatus;
            }
            case "delayed" -> Bounce.Kind.SOFT;
            case "delivered", "relayed", "expanded" -> Bounce.Kind.NOT_A_BOUNCE;
            default -> Bounce.Kind.UNCLEAR;
        };
        return new Bounce(kind, status, detail);
    }

    private static String firstCode(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = ENHANCED.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static String shortened(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= DETAIL_LENGTH ? oneLine : oneLine.substring(0, DETAIL_LENGTH) + "…";
    }

    /** The blocks, field names in lowercase, folded lines unfolded; a field repeated keeps its first value. */
    static List<Map<String, String>> blocks(String text) {
        List<Map<String, String>> blocks = new ArrayList<>();
        if (text == null) {
            return blocks;
        }
        Map<String, String> block = new LinkedHashMap<>();
        String name = null;
        for (String line : text.split("\\r?\\n", -1)) {
            if (line.isBlank()) {
                if (!block.isEmpty()) {
                    blocks.add(block);
                    if (blocks.size() == MAX_BLOCKS) {
                        return blocks;
                    }
                    block = new LinkedHashMap<>();
                }
                name = null;
                continue;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && name != null) {
                block.computeIfPresent(name, (k, v) -> v + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                name = null;
                continue;
            }
            name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            block.putIfAbsent(name, line.substring(colon + 1).strip());
        }
        if (!block.isEmpty()) {
            blocks.add(block);
        }
        return blocks;
    }
}
