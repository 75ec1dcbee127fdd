package dev.agenda.notification.mail;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.agenda.notification.NotificationProperties;

/**
 * What receivers check of the sender before they accept bulk mail, read from the settings at start. The local
 * defaults (agenda.localhost, http://127.0.0.1) suit the local stack and its sink, and nothing else: a deployment that
 * keeps them sends notices whose From and Message-ID name a domain that cannot exist (RFC 6761), which providers
 * refuse or file as spam (no SPF or DKIM can align with it), and whose one-click link is plain http, which RFC 8058
 * excludes and mail clients then do not offer.
 */
final class SenderIdentity {

    private SenderIdentity() {
    }

    /** One sentence per setting that would hurt delivery outside a local sink; empty when all look deliverable. */
    static List<String> warnings(NotificationProperties properties) {
        List<String> warnings = new ArrayList<>();
        String fromDomain = domainOf(properties.mail().from());
        if (fromDomain == null || reserved(fromDomain)) {
            warnings.add("agenda.notification.mail.from (AGENDA_MAIL_FROM) is '" + properties.mail().from()
                    + "': receivers refuse or file as spam mail from a domain that is not public and yours");
        }
        if (reserved(properties.mail().messageIdDomain())) {
            warnings.add("agenda.notification.mail.message-id-domain (AGENDA_MAIL_DOMAIN) is '"
                    + properties.mail().messageIdDomain() + "': the Message-IDs and the List-Id should name your domain");
        }
        String bounces = properties.bounces() == null ? null : properties.bounces().address();
        if (bounces != null && !bounces.isBlank() && reserved(domainOf(bounces))) {
            warnings.add("agenda.notification.bounces.address (AGENDA_BOUNCES_ADDRESS) is '" + bounces
                    + "': it is the envelope sender receivers check SPF on, and where bounces go");
        }
        URI base = properties.publicBaseUrl();
        if (base == null || !"https".equalsIgnoreCase(base.getScheme())) {
            warnings.add("agenda.notification.public-base-url (AGENDA_NOTIFICATION_PUBLIC_URL) is '" + base
                    + "': RFC 8058 one-click unsubscribe needs an https URL; mail clients ignore an http one");
        }
        return warnings;
    }

    private static String domainOf(String from) {
        try {
            String address = new jakarta.mail.internet.InternetAddress(from, true).getAddress();
            int at = address.lastIndexOf('@');
            return at < 0 ? null : address.substring(at + 1);
        } catch (jakarta.mail.internet.AddressException e) {
            return null;
        }
    }

    /** Names that are never a public mail domain: RFC 2606 and RFC 6761 reserved ones, mDNS, or a single label. */
    static boolean reserved(String domain) {
        if (domain == null || domain.isBlank()) {
            return true;
        }
        String d = domain.strip().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (!d.contains(".")) {
            return true;
        }
        for (String suffix : List.of("localhost", "test", "example", "invalid", "local")) {
            if (d.endsWith("." + suffix)) {
                return true;
            }
        }
        return List.of("example.com", "example.net", "example.org").stream()
                .anyMatch(e -> d.equals(e) || d.endsWith("." + e));
    }
}
