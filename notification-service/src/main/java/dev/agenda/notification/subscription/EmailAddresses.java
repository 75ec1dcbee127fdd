package dev.agenda.notification.subscription;

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
        String address = raw.strip().toLowerCase(Locale.ROOT);
        if (address.length() > 254 || !ADDRESS.matcher(address).matches()) {
            return Optional.empty();
        }
        return Optional.of(address);
    }
}
