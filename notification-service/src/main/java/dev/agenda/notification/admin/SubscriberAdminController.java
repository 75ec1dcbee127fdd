package dev.agenda.notification.admin;

import java.io.IOException;
import java.io.StringReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.agenda.notification.delivery.DeliveryService;
import dev.agenda.notification.subscription.InvalidValueException;
import dev.agenda.notification.subscription.Preferences;
import dev.agenda.notification.subscription.Subscriber;
import dev.agenda.notification.subscription.SubscriberImport;
import dev.agenda.notification.subscription.SubscriberStatus;
import dev.agenda.notification.subscription.SubscriberStore;
import dev.agenda.notification.web.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Subscribers, for admins only (service-support protects every non-public path). */
@RestController
@RequestMapping("/api/admin/subscribers")
class SubscriberAdminController {

    private final SubscriberStore store;
    private final SubscriberImport importer;
    private final DeliveryService deliveries;

    SubscriberAdminController(SubscriberStore store, SubscriberImport importer, DeliveryService deliveries) {
        this.store = store;
        this.importer = importer;
        this.deliveries = deliveries;
    }

    record SubscriberView(String id, String email, SubscriberStatus status, boolean everything, Set<String> categories,
            Set<String> tags, String source, Instant createdAt, Instant confirmedAt, Instant unsubscribedAt,
            Instant bouncedAt, String bounceReason) {

        static SubscriberView of(Subscriber s) {
            Preferences p = s.preferences();
            return new SubscriberView(s.id(), s.email(), s.status(), p.everything(), p.categories(), p.tags(),
                    s.source(), s.createdAt(), s.confirmedAt(), s.unsubscribedAt(), s.bouncedAt(), s.bounceReason());
        }
    }

    record Page(List<SubscriberView> items, long total, int page, int size) {
    }

    @GetMapping
    Page search(@RequestParam(required = false) String q, @RequestParam(required = false) SubscriberStatus status,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        int bounded = Math.max(1, Math.min(size, 500));
        int p = Math.max(0, AdminPaging.page(page));
        AdminPaging.searchText(q);
        return new Page(store.search(q, status, p, bounded).stream().map(SubscriberView::of).toList(),
                store.count(q, status), p, bounded);
    }

    @GetMapping("/counts")
    Map<String, Object> counts() {
        Map<SubscriberStatus, Long> byStatus = store.countsByStatus();
        return Map.of("byStatus", byStatus, "total", byStatus.values().stream().mapToLong(Long::longValue).sum());
    }

    /** No dot in an id: « export.csv » asked for as JSON is a 406, not « no such subscriber ». */
    @GetMapping("/{id:[^.]+}")
    SubscriberView one(@PathVariable String id) {
        return store.findById(id).map(SubscriberView::of).orElseThrow(() -> new NotFoundException("no such subscriber"));
    }

    @GetMapping(path = "/export.csv", produces = "text/csv")
    void export(HttpServletResponse response) throws IOException {
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"subscribers.csv\"");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader("id", "email", "status", "everything", "categories",
                "tags", "source", "created_at", "confirmed_at", "unsubscribed_at", "bounced_at", "bounce_reason").get();
        try (CSVPrinter csv = new CSVPrinter(out, format); Stream<Subscriber> all = store.streamAll()) {
            for (Subscriber s : (Iterable<Subscriber>) all::iterator) {
                csv.printRecord(s.id(), cell(s.email()), s.status(), s.preferences().everything(),
                        listCell(s.preferences().categories()), listCell(s.preferences().tags()),
                        cell(s.source()), s.createdAt(), s.confirmedAt(), s.unsubscribedAt(), s.bouncedAt(),
                        cell(s.bounceReason()));
            }
        }
    }

    /**
     * Text that anyone can choose (a tag typed on the public form, an address, the words of a bounce report) as a CSV
     * cell that a spreadsheet shows as text: quoting does not stop one from evaluating "=HYPERLINK(...)", a leading
     * apostrophe does (OWASP, CSV injection). The agenda's admins open the file in a spreadsheet set to French, which
     * takes {@code ;} as its separator: there "atelier;=cmd|' /c calc'!a0" is two cells, the second one a formula,
     * whatever the quotes. So every part between {@code ;} is protected ({@link SubscriberImport#protect}), and a line
     * break (a new row there) or a tab (a separator a spreadsheet may offer too) becomes a space.
     */
    static String cell(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return Arrays.stream(BREAKS.matcher(text).replaceAll(" ").split(";", -1)).map(SubscriberImport::protect)
                .collect(Collectors.joining(";"));
    }

    private static final Pattern BREAKS = Pattern.compile("[\\r\\n\\t\\u000B\\u000C\\u0085\\u2028\\u2029]+");

    /**
     * A list of values anyone can choose (categories and tags typed on the public form) as one cell, values joined by
     * {@code ;}, each protected as {@link #cell} protects a part. The import splits the cell at its {@code ;} and takes
     * the apostrophes off again, value by value.
     */
    static String listCell(java.util.Collection<String> values) {
        return cell(String.join(";", new TreeSet<>(values)));
    }

    /**
     * Body: the CSV itself (text/csv), in the charset its Content-Type names (UTF-8 if none). Answers one line of
     * report per CSV line. Bytes that are not text in that charset refuse the whole file: decoded anyway, they would
     * import « conf\uFFFDrence » as a category nobody's events have.
     */
    @PostMapping(path = "/import", consumes = { "text/csv", "text/plain" })
    Map<String, Object> importCsv(HttpServletRequest request) throws IOException {
        Charset charset;
        try {
            // From the header: the request's own encoding is UTF-8 whatever it says (Boot forces it for forms).
            Charset declared = MediaType.parseMediaType(request.getContentType()).getCharset();
            charset = declared == null ? StandardCharsets.UTF_8 : declared;
        } catch (IllegalArgumentException unknown) {
            throw new InvalidValueException(null, "unknown charset in '" + request.getContentType() + "'");
        }
        String text;
        try {
            text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(request.getInputStream().readAllBytes())).toString();
        } catch (CharacterCodingException notText) {
            throw new InvalidValueException(null, "the file is not " + charset.name() + " text: save it as UTF-8, "
                    + "or name its charset (Content-Type: text/csv; charset=windows-1252)");
        }
        List<SubscriberImport.Line> report = importer.importCsv(new StringReader(text));
        Map<SubscriberImport.Outcome, Long> summary = new java.util.EnumMap<>(SubscriberImport.Outcome.class);
        report.forEach(l -> summary.merge(l.outcome(), 1L, Long::sum));
        return Map.of("summary", summary, "lines", report);
    }

    /** Right to erasure: the subscriber is deleted, their delivery records no longer point at them. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> erase(@PathVariable String id) {
        if (!store.delete(id)) {
            throw new NotFoundException("no such subscriber");
        }
        deliveries.anonymise(id);
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }
}
