package dev.agenda.events.jekyll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.EventStatus;
import dev.agenda.events.domain.InvalidEventException;
import dev.agenda.events.domain.Violation;
import dev.agenda.events.event.EventService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Jekyll import (Markdown files or zips) and export (one file, or every event in a zip). */
@RestController
@Tag(name = "jekyll")
class JekyllController {

    static final MediaType MARKDOWN = new MediaType("text", "markdown", StandardCharsets.UTF_8);

    private final JekyllImporter importer;
    private final EventService events;

    JekyllController(JekyllImporter importer, EventService events) {
        this.importer = importer;
        this.events = events;
    }

    @PostMapping(path = "/api/imports/jekyll", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Import Jekyll event files (any multipart part: .md/.markdown files or .zip archives)")
    ImportReport importFiles(MultipartHttpServletRequest request,
            @RequestParam(defaultValue = "false") boolean dryRun) throws IOException {
        List<JekyllImporter.Upload> uploads = new ArrayList<>();
        for (MultipartFile file : request.getMultiFileMap().values().stream().flatMap(List::stream).toList()) {
            String name = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank()
                    ? file.getName() : file.getOriginalFilename();
            uploads.add(new JekyllImporter.Upload(name, file.getBytes()));
        }
        if (uploads.isEmpty()) {
            throw new InvalidEventException(List.of(new Violation("files", "at least one file is required")));
        }
        return importer.importFiles(uploads, dryRun);
    }

    @GetMapping(path = "/api/events/{id}/jekyll", produces = "text/markdown")
    @Operation(summary = "Export one event as a Jekyll file with the corpus' front-matter keys")
    ResponseEntity<String> export(@PathVariable String id) {
        Event event = events.get(id);
        return ResponseEntity.ok()
                .contentType(MARKDOWN)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(JekyllFormat.fileName(event)).build().toString())
                .body(JekyllFormat.write(event));
    }

    @GetMapping(path = "/api/exports/jekyll", produces = "application/zip")
    @Operation(summary = "Export every event (optionally of one status) as Jekyll files in a zip")
    void exportAll(@RequestParam(required = false) EventStatus status, HttpServletResponse response)
            throws IOException {
        response.setContentType("application/zip");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename("evenements.zip").build().toString());
        // Streamed, event by event from the store to the client: an agenda of any size is exported in constant memory.
        try (Stream<Event> all = events.streamAll(status);
                ZipOutputStream zip = new ZipOutputStream(response.getOutputStream(), StandardCharsets.UTF_8)) {
            for (Event event : (Iterable<Event>) all::iterator) {
                zip.putNextEntry(new ZipEntry("_evenements/" + JekyllFormat.fileName(event)));
                zip.write(JekyllFormat.write(event).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }
}
