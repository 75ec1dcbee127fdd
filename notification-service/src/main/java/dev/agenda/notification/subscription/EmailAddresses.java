package dev.agenda.notification.subscription;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One spelling per address, so that "Ana@Example.org " and "ana@example.org" are the same subscription. Local parts
 * are case-insensitive at every mail provider that matters; treating them so is what people expect.
 */
public final class EmailAddresses {

    // Deliberately narrower than RFC 5322: no quoted local parts, no comments, no whitespace or control characters,
    // so that an address can never smuggle a header or a second recipient.
    private static final Pattern ADDRESS = Pattern.compile(
            "^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$");

    private EmailAddresses() {
    }

    /**
     * A search text as stored addresses spell it: each label of its domain part written in Unicode (« société »,
     * « ana@société.fr ») in its ASCII form (« xn--socit-esab »), since {@link #normalise} stores domains so. Only
     * whole labels have an ASCII form: « socié » finds nothing under « xn--socit-esab ». A text IDN refuses stays as
     * it is.
     */
    public static String searchForm(String text) {
        if (text.chars().allMatch(c -> c <= 0x7f)) {
            return text;
        }
        int at = text.lastIndexOf('@');
        String local = at < 0 ? "" : text.substring(0, at + 1);
        String[] labels = text.substring(at + 1).split("\\.", -1);
        StringBuilder out = new StringBuilder(local);
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (label.chars().anyMatch(c -> c > 0x7f)) {
                try {
                    label = IDN.toASCII(label);
                } catch (IllegalArgumentException notALabel) {
                    return text;
                }
            }
            out.append(i == 0 ? "" : ".").append(label);
        }
        return out.toString();
    }

    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String address = raw.strip();
        int at = address.lastIndexOf('@');
        if (at > 0 && address.substring(at + 1).chars().anyMatch(c -> c > 0x7f)) {
            // An internationalised domain (« ana@société.fr ») is its ASCII form (xn--...), which every SMTP server
            // accepts and which is the same address whichever way it was typed. Local parts stay ASCII: one in
            // Unicode needs SMTPUTF8 all the way to the mailbox.
            try {
                address = address.substring(0, at + 1)
                        + IDN.toASCII(address.substring(at + 1), IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException notADomain) {
                return Optional.empty();
            }
        }
        address = address.toLowerCase(Locale.ROOT);
        if (address.length() > 254 || !ADDRESS.matcher(address).matches()) {
            return Optional.empty();
        }
        return Optional.of(address);
    }
}
