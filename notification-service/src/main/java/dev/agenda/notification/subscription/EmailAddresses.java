package dev.agenda.notification.subscription;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import com.ibm.icu.text.IDNA;

/**
 * One spelling per address, so that "Ana@Example.org " and "ana@example.org" are the same subscription. Local parts
 * are case-insensitive at every mail provider that matters; treating them so is what people expect.
 */
public final class EmailAddresses {

    // Deliberately narrower than RFC 5322: no quoted local parts, no comments, no whitespace or control characters,
    // so that an address can never smuggle a header or a second recipient.
    private static final Pattern ADDRESS = Pattern.compile(
            "^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$");

    /**
     * Internationalised domains as mail servers and browsers read them today: IDNA2008 with the UTS #46 mapping,
     * non-transitional. java.net.IDN implements IDNA2003, which maps « straße.de » to « strasse.de », another domain
     * (and another person's mailbox).
     */
    private static final IDNA IDNA2008 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.NONTRANSITIONAL_TO_UNICODE | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ | IDNA.USE_STD3_RULES);

    private EmailAddresses() {
    }

    /** The ASCII form of a domain or of one label (« xn--strae-oqa.de »); empty if it is not a valid one. */
    static Optional<String> asciiDomain(String domain) {
        IDNA.Info info = new IDNA.Info();
        StringBuilder ascii = IDNA2008.nameToASCII(domain, new StringBuilder(), info);
        return info.hasErrors() ? Optional.empty() : Optional.of(ascii.toString());
    }

    /** The Unicode form of a stored domain, as its owner typed it (« société.fr » for « xn--socit-esab.fr »). */
    public static String unicodeDomain(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0 || !address.contains("xn--")) {
            return address;
        }
        IDNA.Info info = new IDNA.Info();
        StringBuilder unicode = IDNA2008.nameToUnicode(address.substring(at + 1), new StringBuilder(), info);
        return info.hasErrors() ? address : address.substring(0, at + 1) + unicode;
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
                Optional<String> ascii = asciiDomain(label);
                if (ascii.isEmpty()) {
                    return text;
                }
                label = ascii.get();
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
            Optional<String> domain = asciiDomain(address.substring(at + 1));
            if (domain.isEmpty()) {
                return Optional.empty();
            }
            address = address.substring(0, at + 1) + domain.get();
        }
        address = address.toLowerCase(Locale.ROOT);
        if (address.length() > 254 || !ADDRESS.matcher(address).matches()) {
            return Optional.empty();
        }
        return Optional.of(address);
    }
}
