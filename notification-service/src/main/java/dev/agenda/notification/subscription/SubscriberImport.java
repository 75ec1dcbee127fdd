package dev.agenda.notification.subscription;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Import of addresses whose consent was collected elsewhere (a paper form, a previous tool). They become CONFIRMED
 * as of the import, so they hear about events published from then on. An address that unsubscribed stays so: an
 * import never overrides someone's own choice (nor does a request to subscribe it again that nobody confirmed).
 *
 * <p>CSV with a header line: {@code email} (required), {@code categories} and {@code tags} (optional, values
 * separated by {@code ;}); column names in any case; fields separated by commas, or by semicolons if the header line
 * is (as a spreadsheet set to French saves it, quoting the cells that hold a {@code ;}); a UTF-8 byte order mark is
 * skipped. The export's file imports back as it was: its {@code status} column is read, and a row that is not
 * CONFIRMED there (an address nobody confirmed, one that unsubscribed or bounced) is not imported
 * ({@code NOT_CONFIRMED_IN_FILE}): an import never gives consent that the file says was not given.
 */
@Service
public class SubscriberImport {

    public enum Outcome { CREATED, CONFIRMED_PENDING, ALREADY_SUBSCRIBED, KEPT_UNSUBSCRIBED, KEPT_BOUNCED, DUPLICATE_IN_FILE,
        NOT_CONFIRMED_IN_FILE, INVALID }

    public record Line(long line, String email, Outcome outcome, String detail) {
    }

    private final SubscriberStore store;
    private final Clock clock;

    SubscriberImport(SubscriberStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public List<Line> importCsv(Reader csv) throws IOException {
        BufferedReader in = new BufferedReader(csv);
        skipByteOrderMark(in);
        // Column names as people type them in a spreadsheet ("Email", " tags "), and the separator the header line
        // uses: a spreadsheet set to French saves "CSV" with semicolons.
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiterOf(in)).setHeader()
                .setSkipHeaderRecord(true).setTrim(true).setIgnoreHeaderCase(true).setIgnoreEmptyLines(true)
                .setAllowMissingColumnNames(true).setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_EMPTY).get();
        List<Line> report = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        CSVParser csvParser;
        try {
            csvParser = CSVParser.parse(in, format);
        } catch (CSVException | UncheckedIOException malformedHeader) {
            throw new InvalidValueException(null, "the header line is not valid CSV: " + malformedHeader.getMessage());
        } catch (IllegalArgumentException duplicate) {
            // Two "email" columns: which one holds the addresses to import is anybody's guess.
            throw new InvalidValueException(null, "the header line names a column twice: " + duplicate.getMessage());
        }
        try (CSVParser parser = csvParser) {
            if (!parser.getHeaderNames().stream().anyMatch("email"::equalsIgnoreCase)) {
                throw new InvalidValueException(null, "the CSV needs a header line with an 'email' column");
            }
            // Read whole first (the file is bounded by the import's body limit): an address's consent is decided on
            // all its lines, so that a merged file saying CONFIRMED on one line and UNSUBSCRIBED on another imports
            // nobody.
            List<CSVRecord> rows = new ArrayList<>();
            List<Long> lines = new ArrayList<>();
            Line stoppedAt = null;
            Iterator<CSVRecord> records = parser.iterator();
            long lastLine = 1;
            while (true) {
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    rows.add(records.next());
                } catch (UncheckedIOException malformed) {
                    // A quote opened and never closed, or text after a closing quote: the parser cannot tell where
                    // the next record starts. What was before is imported; the report says where it stopped.
                    stoppedAt = new Line(lastLine + 1, "", Outcome.INVALID, "not valid CSV from this line on ("
                            + malformed.getCause().getMessage() + "): the lines after it were not imported");
                    break;
                }
                lastLine = parser.getCurrentLineNumber();
                lines.add(lastLine);
            }
            Map<String, String> notConfirmed = new HashMap<>();
            for (CSVRecord row : rows) {
                String status = status(row);
                if (!status.isEmpty() && !status.equalsIgnoreCase(SubscriberStatus.CONFIRMED.name())) {
                    email(row).ifPresent(e -> notConfirmed.putIfAbsent(e, status.toUpperCase(Locale.ROOT)));
                }
            }
            for (int i = 0; i < rows.size(); i++) {
                CSVRecord record = rows.get(i);
                long line = lines.get(i);
                Optional<String> email = email(record);
                if (email.isEmpty()) {
                    report.add(new Line(line, raw(record), Outcome.INVALID, "not a valid email address"));
                    continue;
                }
                if (!seen.add(email.get())) {
                    report.add(new Line(line, email.get(), Outcome.DUPLICATE_IN_FILE, "already on an earlier line"));
                    continue;
                }
                String status = status(record);
                if (!status.isEmpty() && !status.equalsIgnoreCase(SubscriberStatus.CONFIRMED.name())) {
                    boolean known = Arrays.stream(SubscriberStatus.values()).anyMatch(
                            st -> st.name().equalsIgnoreCase(status));
                    report.add(known
                            ? new Line(line, email.get(), Outcome.NOT_CONFIRMED_IN_FILE, "status "
                                    + status.toUpperCase(Locale.ROOT) + " in the file: only confirmed addresses are "
                                    + "imported")
                            : new Line(line, email.get(), Outcome.INVALID, "status '" + status + "' is not one of "
                                    + Arrays.toString(SubscriberStatus.values())));
                    continue;
                }
                if (notConfirmed.containsKey(email.get())) {
                    report.add(new Line(line, email.get(), Outcome.NOT_CONFIRMED_IN_FILE, "status "
                            + notConfirmed.get(email.get()) + " on another line of the file: only confirmed addresses "
                            + "are imported"));
                    continue;
                }
                Preferences preferences;
                try {
                    preferences = Preferences.of(values(record, "categories"), values(record, "tags"));
                } catch (InvalidValueException unusable) {
                    report.add(new Line(line, email.get(), Outcome.INVALID, unusable.field() + ": "
                            + unusable.getMessage()));
                    continue;
                }
                report.add(new Line(line, email.get(), importOne(email.get(), preferences), null));
            }
            if (stoppedAt != null) {
                report.add(stoppedAt);
            }
        }
        return report;
    }

    private static String raw(CSVRecord record) {
        return record.isMapped("email") && record.isSet("email") ? unprotected(record.get("email").strip()) : "";
    }

    private static Optional<String> email(CSVRecord record) {
        return EmailAddresses.normalise(raw(record));
    }

    private static String status(CSVRecord record) {
        return record.isMapped("status") && record.isSet("status") ? record.get("status").strip() : "";
    }

    /** A spreadsheet's "CSV UTF-8" starts with U+FEFF, which would otherwise be part of the first column's name. */
    private static void skipByteOrderMark(BufferedReader in) throws IOException {
        in.mark(1);
        if (in.read() != '\uFEFF') {
            in.reset();
        }
    }

    /** ';' if the header line has semicolons and no comma, else ','. */
    private static char delimiterOf(BufferedReader in) throws IOException {
        in.mark(HEADER_LOOKAHEAD);
        StringBuilder header = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n' && c != '\r' && header.length() < HEADER_LOOKAHEAD - 1;
                c = in.read()) {
            header.append((char) c);
        }
        in.reset();
        return header.indexOf(";") >= 0 && header.indexOf(",") < 0 ? ';' : ',';
    }

    private static final int HEADER_LOOKAHEAD = 4096;

    private Outcome importOne(String email, Preferences preferences) {
        Instant now = clock.instant();
        Optional<Subscriber> existing = store.findByEmail(email);
        if (existing.isEmpty()) {
            try {
                // Epoch 1, as a first confirmation through the form gives.
                store.insert(new Subscriber(UUID.randomUUID().toString(), email, SubscriberStatus.CONFIRMED,
                        preferences, now, now, null, null, Subscriber.IMPORT, 1));
                return Outcome.CREATED;
            } catch (DuplicateKeyException raced) {
                existing = store.findByEmail(email);
                if (existing.isEmpty()) {
                    return Outcome.ALREADY_SUBSCRIBED;
                }
            }
        }
        Subscriber s = existing.get();
        return switch (s.status()) {
            case CONFIRMED -> Outcome.ALREADY_SUBSCRIBED;
            case UNSUBSCRIBED -> Outcome.KEPT_UNSUBSCRIBED;
            // A file (an old list, another tool's export) is no proof that a mailbox that bounced exists again: only
            // a confirmation through the form is.
            case BOUNCED -> Outcome.KEPT_BOUNCED;
            // Unsubscribed, then asked again without confirming (or someone else typed the address): the last choice
            // its owner confirmed is to receive nothing. Bounced, then asked again: the same, as above.
            case PENDING -> s.bouncedAt() != null ? Outcome.KEPT_BOUNCED
                    : s.unsubscribedAt() != null ? Outcome.KEPT_UNSUBSCRIBED
                    : confirmPending(s, email, preferences, now);
        };
    }

    private Outcome confirmPending(Subscriber s, String email, Preferences preferences, Instant now) {
        // A new subscription, as a confirmation through the form would have started.
        store.save(new Subscriber(s.id(), email, SubscriberStatus.CONFIRMED, preferences, s.createdAt(), now, null,
                null, Subscriber.IMPORT, s.epoch() + 1));
        return Outcome.CONFIRMED_PENDING;
    }

    private static List<String> values(CSVRecord record, String column) {
        if (!record.isMapped(column) || !record.isSet(column)) {
            return List.of();
        }
        return Arrays.stream(record.get(column).split(";")).map(String::strip).map(SubscriberImport::unprotected)
                .filter(s -> !s.isEmpty()).toList();
    }

    /** What a spreadsheet evaluates at the start of a cell, and the apostrophe that protects it. */
    private static final String PROTECTED_START = "=+-@\t\r'";

    /**
     * A value as the export writes it (one part of a cell): an apostrophe before a leading {@code = + - @}, tab or
     * carriage return keeps a spreadsheet from evaluating it (OWASP, CSV injection). One before a leading apostrophe
     * too, so that {@link #unprotected} gives back exactly what was protected, whatever it was.
     */
    public static String protect(String value) {
        return !value.isEmpty() && PROTECTED_START.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    /**
     * A value as it was before the export protected it ({@link #protect}): an exported file imported again gives the
     * same addresses and preferences, not ones starting with "'".
     */
    public static String unprotected(String value) {
        return value.length() > 1 && value.charAt(0) == '\'' && PROTECTED_START.indexOf(value.charAt(1)) >= 0
                ? value.substring(1)
                : value;
    }
}
