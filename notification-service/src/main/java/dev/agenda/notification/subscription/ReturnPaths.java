package dev.agenda.notification.subscription;

import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.agenda.notification.NotificationProperties;

/**
 * The envelope senders (MAIL FROM) of the emails, VERP style: with {@code agenda.notification.bounces.address} set to
 * {@code bounces@example.org}, an email to a subscriber leaves as from {@code bounces+<token>@example.org}, the token
 * naming that subscription (signed, see {@link LinkTokens#bounceToken}). The bounce report of that email comes back
 * to that very address, so it says whom it is about without anything in it having to be believed.
 */
@Component
public class ReturnPaths {

    private final LinkTokens tokens;
    /** Null when no bounce address is configured. */
    private final String local;
    private final String domain;

    public ReturnPaths(LinkTokens tokens, NotificationProperties properties) {
        this.tokens = tokens;
        String address = properties.bounces() == null ? null : properties.bounces().address();
        if (address == null || address.isBlank()) {
            this.local = null;
            this.domain = null;
        } else {
            int at = address.strip().lastIndexOf('@');
            if (at <= 0 || at == address.strip().length() - 1 || address.contains("+")) {
                throw new IllegalStateException("agenda.notification.bounces.address must be local@domain, without +");
            }
            this.local = address.strip().substring(0, at);
            this.domain = address.strip().substring(at + 1);
        }
    }

    /** The envelope sender of an email to this subscriber, or null (the From address) when VERP is not configured. */
    public String of(Subscriber subscriber) {
        return local == null ? null
                : local + "+" + tokens.bounceToken(subscriber.id(), subscriber.epoch()) + "@" + domain;
    }

    /**
     * The subscription an address designates: one of {@link #of} (the base's local part and domain, any case, and a
     * token whose signature holds); empty for any other address, a forged or damaged token included.
     */
    public Optional<LinkTokens.Claims> claimsOf(String address) {
        if (local == null || address == null) {
            return Optional.empty();
        }
        String a = address.strip();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        int at = a.lastIndexOf('@');
        if (at <= 0 || !a.substring(at + 1).equalsIgnoreCase(domain)) {
            return Optional.empty();
        }
        String localPart = a.substring(0, at);
        String prefix = local + "+";
        if (!localPart.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return tokens.verifyBounceToken(localPart.substring(prefix.length()));
    }
}
