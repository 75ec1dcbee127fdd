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
