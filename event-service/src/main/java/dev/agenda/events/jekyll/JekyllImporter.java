package dev.agenda.events.jekyll;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.springframework.stereotype.Service;

import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.EventContent;
import dev.agenda.events.domain.EventStatus;
import dev.agenda.events.domain.InvalidEventException;
import dev.agenda.events.domain.RequestRefusedException;
import dev.agenda.events.domain.Slugs;
import dev.agenda.events.event.EventService;
import dev.agenda.events.jekyll.ImportReport.FileResult;
import dev.agenda.events.jekyll.ImportReport.Outcome;

/** Imports Jekyll files one by one; a bad file is reported and never stops the others. */
@Service
class JekyllImporter {

    static final int MAX_FILES = 2_000;
    /** What the zips of one import may expand to, all together: each one's own budget let a few small zips fill the heap. */
    static final long MAX_UNZIPPED_BYTES = 50L * 1024 * 1024;
    /** The most bytes a file {@link JekyllFormat#MAX_FILE_CHARS} accepts can take in UTF-8 (3 per UTF-16 unit). */
    static final long MAX_ENTRY_BYTES = 3L * JekyllFormat.MAX_FILE_CHARS;
    /** Entries of any kind walked in one import (a whole Jekyll site zipped holds assets too, reported one by one). */
    static final int MAX_ENTRIES = 20_000;

    private final EventService events;

    JekyllImporter(EventService events) {
        this.events = events;
    }

    /** An uploaded file: its name and bytes. */
    record Upload(String name, byte[] bytes) {
    }

    ImportReport importFiles(List<Upload> uploads, boolean dryRun) {
        List<FileResult> results = new ArrayList<>();
        // Two files with one slug would be one event written twice, the second silently replacing the first.
        Map<String, String> fileBySlug = new HashMap<>();
        for (Upload upload : expand(uploads, results)) {
            results.add(importOne(upload, dryRun, fileBySlug));
        }
        return ImportReport.of(dryRun, results);
    }

    private FileResult importOne(Upload upload, boolean dryRun, Map<String, String> fileBySlug) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(upload.bytes())).toString();
        } catch (CharacterCodingException e) {
            return rejected(upload.name(), "the file is not UTF-8 text");
        }
        JekyllFormat.Parsed parsed = JekyllFormat.parse(upload.name(), text);
        if (parsed instanceof JekyllFormat.Rejected r) {
            return rejected(upload.name(), r.reason());
        }
        JekyllFormat.Imported imported = (JekyllFormat.Imported) parsed;
        Event read = imported.event();
        String first = fileBySlug.putIfAbsent(read.slug(), upload.name());
        if (first != null) {
            return rejected(upload.name(), "same slug '" + read.slug() + "' as " + first
                    + " in this import: only the first one is imported (rename one of them)");
        }
        List<String> warnings = new ArrayList<>(imported.warnings());
        Optional<Event> existing = events.findBySlug(read.slug());
        String stem = Slugs.stem(upload.name());
        if (existing.isPresent() && !stem.equals(read.slug())) {
            // Two file names can give one slug (cut at 120 characters, "." read as "-", « Fête du code » as
            // fete-du-code): a file other than the one the event came from would silently replace another event, one
            // created through the API included. Its own export (named by the slug) may.
            Optional<String> source = events.importSource(existing.get().id());
            if (source.isPresent() && !source.get().equals(stem)) {
                return rejected(upload.name(), "its slug '" + read.slug() + "' is already the event imported from '"
                        + source.get() + "', another file: rename one of them");
            }
            // An event without a source is one created through the API, or one imported before sources were kept
            // (a re-import of the site's folder must keep updating those): only the first is protected.
            if (source.isEmpty() && events.createdThroughApi(existing.get().id())) {
                return rejected(upload.name(), "its slug '" + read.slug() + "' is already an event created through "
                        + "the API: name the file " + read.slug() + ".md to update that event, or rename it");
            }
        }
        EventStatus status = read.status();
        EventContent content = read.content();
        if (existing.isPresent() && existing.get().status().isPublic() && status == EventStatus.DRAFT) {
            warnings.add("the file is a draft but the event is already " + existing.get().status()
                    + ": its status is kept (cancel or delete it through the API)");
            status = existing.get().status();
        } else if (existing.isPresent() && existing.get().status() == EventStatus.CANCELLED
                && status == EventStatus.PUBLISHED && !imported.statesCancellation()) {
            // Re-importing the site's folder (idempotent otherwise) must not put back on an event cancelled since.
            warnings.add("the event is CANCELLED and the file does not say 'cancelled': it stays cancelled (write "
                    + "'cancelled: false' in the file to schedule it again)");
            status = EventStatus.CANCELLED;
        }
        if (dryRun) {
            if (existing.isEmpty()) {
                return new FileResult(upload.name(), Outcome.CREATED, null, read.slug(), status.name(), null,
                        warnings);
            }
            Event current = existing.get();
            EventContent compared = content.publicationDate() == null
                    ? content.withPublicationDate(current.content().publicationDate()) : content;
            boolean same = compared.equals(current.content()) && status == current.status();
            return new FileResult(upload.name(), same ? Outcome.UNCHANGED : Outcome.UPDATED, current.id(),
                    current.slug(), status.name(), null, warnings);
        }
        try {
            Optional<Event> written = events.applyImport(read.slug(), content, status);
            Event result = written.orElseGet(existing::orElseThrow);
            if (existing.isEmpty()) {
                events.recordImportSource(result.id(), stem);
            }
            Outcome outcome = written.isEmpty() ? Outcome.UNCHANGED
                    : existing.isPresent() ? Outcome.UPDATED : Outcome.CREATED;
            return new FileResult(upload.name(), outcome, result.id(), result.slug(), result.status().name(), null,
                    warnings);
        } catch (InvalidEventException e) {
            return rejected(upload.name(), "the event breaks the rules: " + e.violations());
        } catch (RequestRefusedException e) {
            return rejected(upload.name(), e.getMessage());
        }
    }

    private static FileResult rejected(String name, String reason) {
        return new FileResult(name, Outcome.REJECTED, null, null, null, reason, List.of());
    }

    /**
     * Zips are opened (their Markdown entries imported); anything else is taken as one file. Every byte inflated counts
     * against one budget for the whole import, kept or not: a deflated entry can be a thousand times its size, so a
     * few kilobytes of upload would otherwise fill the heap (the service exits on OutOfMemoryError). An entry larger
     * than any file the import accepts is reported without being kept.
     */
    static List<Upload> expand(List<Upload> uploads, List<FileResult> results) {
        List<Upload> files = new ArrayList<>();
        Budget budget = new Budget();
        for (Upload upload : uploads) {
            if (!upload.name().toLowerCase(Locale.ROOT).endsWith(".zip")) {
                add(files, upload);
                continue;
            }
            int filesBefore = files.size();
            int resultsBefore = results.size();
            long totalBefore = budget.total;
            int walkedBefore = budget.walked;
            boolean entries;
            try {
                try {
                    entries = readZip(upload, StandardCharsets.UTF_8, files, results, budget);
                } catch (IllegalArgumentException namesNotUtf8) {
                    // Names in the PC's own code page (7-Zip, older Windows Explorer) without the UTF-8 flag: read
                    // again as such rather than answer the whole import with a 500.
                    files.subList(filesBefore, files.size()).clear();
                    results.subList(resultsBefore, results.size()).clear();
                    budget.total = totalBefore;
                    budget.walked = walkedBefore;
                    entries = readZip(upload, LEGACY_ZIP_NAMES, files, results, budget);
                }
            } catch (IOException e) {
                results.add(rejected(upload.name(), "not a readable zip archive: " + e.getMessage()));
                continue;
            }
            // ZipInputStream reads anything that has no local file header as an empty archive: say so.
            if (!entries) {
                results.add(rejected(upload.name(), isZip(upload.bytes())
                        ? "the zip archive is empty" : "not a zip archive (or a corrupt one): no entry could be read"));
            } else if (files.size() + results.size() == filesBefore + resultsBefore) {
                results.add(rejected(upload.name(), "the zip archive holds no Markdown file"));
            }
        }
        return files;
    }

    /**
     * How zip tools without UTF-8 names write them on a French Windows (its OEM code page): a single-byte charset,
     * which decodes any name.
     */
    private static final Charset LEGACY_ZIP_NAMES = Charset.forName("IBM850");

    /** What the zips of one import have inflated and walked so far. */
    private static final class Budget {
        long total;
        int walked;
    }

    /**
     * @return whether the archive had any entry
     * @throws IllegalArgumentException if an entry's name is not valid in {@code names}
     */
    private static boolean readZip(Upload upload, Charset names, List<Upload> files,
            List<FileResult> results, Budget budget) throws IOException {
        boolean entries = false;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(upload.bytes()), names)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries = true;
                if (++budget.walked > MAX_ENTRIES) {
                    throw RequestRefusedException.tooLarge("At most " + MAX_ENTRIES + " zip entries per import.");
                }
                String name = entry.getName();
                boolean junk = entry.isDirectory() || isMacOsJunk(name);
                String refused = junk ? null : refusal(name);
                if (junk || refused != null) {
                    // Skipping an entry inflates it all the same, to reach the next one: it counts too (a bomb
                    // named image.png cost tens of seconds of CPU while nothing counted it).
                    budget.total += skip(zip, MAX_UNZIPPED_BYTES - budget.total);
                    if (refused != null) {
                        results.add(rejected(upload.name() + "!" + name, refused));
                    }
                    continue;
                }
                byte[] bytes = zip.readNBytes((int) Math.min(MAX_ENTRY_BYTES, MAX_UNZIPPED_BYTES - budget.total) + 1);
                budget.total += bytes.length;
                if (budget.total > MAX_UNZIPPED_BYTES) {
                    throw tooLarge();
                }
                if (bytes.length > MAX_ENTRY_BYTES) {
                    budget.total += skip(zip, MAX_UNZIPPED_BYTES - budget.total);
                    results.add(rejected(upload.name() + "!" + name,
                            "the file is larger than " + JekyllFormat.MAX_FILE_CHARS + " characters"));
                    continue;
                }
                add(files, new Upload(name, bytes));
            }
        }
        return entries;
    }

    /** Refused as soon as the limit is passed, not after every other entry has been read. */
    private static void add(List<Upload> files, Upload file) {
        if (files.size() >= MAX_FILES) {
            throw RequestRefusedException.tooLarge("At most " + MAX_FILES + " files per import.");
        }
        files.add(file);
    }

    /** Why a zip entry is not imported (hidden, outside the archive, not Markdown), or null to import it. */
    private static String refusal(String name) {
        String refused = hiddenOrOutside(name);
        if (refused != null) {
            return refused;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".md") || lower.endsWith(".markdown") ? null
                : "not a Markdown file: the name must end with .md or .markdown";
    }

    /**
     * What the Finder adds to every zip it makes: resource forks under {@code __MACOSX/}, AppleDouble {@code ._name}
     * twins of each file and {@code .DS_Store}. Never content, one per real file: listing them would bury the report.
     */
    private static boolean isMacOsJunk(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return path.startsWith("__MACOSX/") || name.startsWith("._") || name.equals(".DS_Store");
    }

    /**
     * Why an entry is not imported although it may be an event: a path out of the archive ({@code ../../x.md},
     * {@code /etc/x.md}) or a hidden file or folder ({@code .hidden.md}, {@code .git/...}). They used to be skipped
     * without a word, so an admin saw fewer events than files and no reason; null for an ordinary path. A {@code .}
     * segment ({@code ./_evenements/x.md}, as some tools write) is the same folder and harmless.
     */
    static String hiddenOrOutside(String path) {
        if (path.startsWith("/") || path.startsWith("\\")) {
            return "an absolute path in the archive: not imported (the archive's paths must be relative)";
        }
        for (String segment : path.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return "the path leaves the archive ('..'): not imported";
            }
            if (segment.startsWith(".") && !segment.equals(".")) {
                return "a hidden file or folder (a name starting with '.'): not imported; rename it to import it";
            }
        }
        return null;
    }

    /** The signature of a zip's first local file header, or of the end record of an empty zip. */
    private static boolean isZip(byte[] b) {
        return b.length >= 4 && b[0] == 'P' && b[1] == 'K' && (b[2] == 3 && b[3] == 4 || b[2] == 5 && b[3] == 6);
    }

    /** Inflates the rest of an entry without keeping it; over {@code budget} bytes, the import is refused. */
    private static long skip(ZipInputStream zip, long budget) throws IOException {
        long skipped = zip.skip(budget + 1);
        if (skipped > budget) {
            throw tooLarge();
        }
        return skipped;
    }

    private static RequestRefusedException tooLarge() {
        return RequestRefusedException.tooLarge("The zips of this import expand to more than " + MAX_UNZIPPED_BYTES
                + " bytes.");
    }
}
