package dev.agenda.events.jekyll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;

import dev.agenda.events.jekyll.ImportReport.FileResult;
import dev.agenda.events.jekyll.ImportReport.Outcome;
import dev.agenda.events.domain.RequestRefusedException;

/**
 * What the zips of a Jekyll import may cost the service: a deflated entry of zeros is a thousand times smaller than
 * what it expands to, and the service exits on OutOfMemoryError (384 MB of heap in the local stack), so the limits
 * must hold for the whole import, not for each zip.
 */
class JekyllZipLimitsTest {

    /** A zip of one entry of {@code size} bytes of one letter, a few kilobytes once deflated. */
    private static JekyllImporter.Upload bomb(String name, String entry, int size) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entry));
            byte[] chunk = new byte[1024 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            for (int written = 0; written < size; written += chunk.length) {
                zip.write(chunk, 0, Math.min(chunk.length, size - written));
            }
            zip.closeEntry();
        }
        return new JekyllImporter.Upload(name, bytes.toByteArray());
    }

    private static JekyllImporter.Upload zipOf(String name, String entry, String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return new JekyllImporter.Upload(name, bytes.toByteArray());
    }

    @Test
    void severalZipsTogetherCannotExpandBeyondTheImportsBudget() throws Exception {
        // Each under the budget alone; 8 of them held 8 × 45 MB and the event-service died of it (a 370 KB upload).
        int each = (int) (JekyllImporter.MAX_UNZIPPED_BYTES / 3);
        List<JekyllImporter.Upload> uploads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            uploads.add(bomb("b" + i + ".zip", "_evenements/e" + i + ".md", each));
        }
        assertThat(uploads).allSatisfy(u -> assertThat(u.bytes().length).isLessThan(200_000));

        assertThatThrownBy(() -> JekyllImporter.expand(uploads, new ArrayList<>()))
                .isInstanceOfSatisfying(RequestRefusedException.class,
                        p -> assertThat(p.reason()).isEqualTo(RequestRefusedException.Reason.TOO_LARGE));
    }

    @Test
    void anEntryLargerThanAnyAcceptedFileIsReportedWithoutBeingKept() throws Exception {
        List<FileResult> results = new ArrayList<>();
        List<JekyllImporter.Upload> files = JekyllImporter.expand(List.of(
                bomb("gros.zip", "_evenements/enorme.md", (int) JekyllImporter.MAX_ENTRY_BYTES + 10),
                zipOf("petit.zip", "_evenements/petit.md", "---\ntitle: Petit\n---\n")), results);

        assertThat(files).extracting(JekyllImporter.Upload::name).containsExactly("_evenements/petit.md");
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.file()).isEqualTo("gros.zip!_evenements/enorme.md");
            assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(r.reason()).contains("larger than " + JekyllFormat.MAX_FILE_CHARS + " characters");
        });
    }

    @Test
    void anEntrySkippedAsNotMarkdownStillCountsAgainstTheBudget() throws Exception {
        // Skipping an entry inflates it all the same: a bomb named like an image cost tens of seconds of CPU uncounted.
        JekyllImporter.Upload disguised = bomb("site.zip", "assets/photo.png",
                (int) JekyllImporter.MAX_UNZIPPED_BYTES + 1024 * 1024);

        assertThatThrownBy(() -> JekyllImporter.expand(List.of(disguised), new ArrayList<>()))
                .isInstanceOfSatisfying(RequestRefusedException.class,
                        p -> assertThat(p.reason()).isEqualTo(RequestRefusedException.Reason.TOO_LARGE));
    }

    @Test
    void aSitesImagesAreReportedAndItsEventsImportedWhenTheWholeFitsTheBudget() throws Exception {
        List<FileResult> results = new ArrayList<>();
        List<JekyllImporter.Upload> files = JekyllImporter.expand(List.of(
                bomb("images.zip", "assets/photo.png", 2 * 1024 * 1024),
                zipOf("evenements.zip", "_evenements/petit.md", "---\ntitle: Petit\n---\n")), results);

        assertThat(files).extracting(JekyllImporter.Upload::name).containsExactly("_evenements/petit.md");
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.file()).isEqualTo("images.zip!assets/photo.png");
            assertThat(r.reason()).contains("not a Markdown file");
        });
    }

    @Test
    void aZipWhoseNamesAreInThePcsCodePageIsReadNotAnError() throws Exception {
        // 7-Zip and older Windows Explorer write names in the OEM code page, without the UTF-8 flag: read as UTF-8,
        // « é » (0x82) made ZipInputStream throw, and the whole import answered 500.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, java.nio.charset.Charset.forName("IBM850"))) {
            zip.putNextEntry(new ZipEntry("_evenements/événement.md"));
            zip.write("---\ntitle: Événement\n---\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("_evenements/à-côté.txt"));
            zip.write("x".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        List<FileResult> results = new ArrayList<>();
        List<JekyllImporter.Upload> files = JekyllImporter.expand(
                List.of(new JekyllImporter.Upload("windows.zip", bytes.toByteArray())), results);

        assertThat(files).extracting(JekyllImporter.Upload::name).containsExactly("_evenements/événement.md");
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.file()).isEqualTo("windows.zip!_evenements/à-côté.txt");
            assertThat(r.reason()).contains("not a Markdown file");
        });
    }

    @Test
    void moreMarkdownFilesThanAnImportTakesAreRefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i <= JekyllImporter.MAX_FILES; i++) {
                zip.putNextEntry(new ZipEntry("_evenements/e" + i + ".md"));
                zip.write("---\ntitle: E\n---\n".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        JekyllImporter.Upload many = new JekyllImporter.Upload("beaucoup.zip", bytes.toByteArray());

        assertThatThrownBy(() -> JekyllImporter.expand(List.of(many), new ArrayList<>()))
                .isInstanceOfSatisfying(RequestRefusedException.class, p -> {
                    assertThat(p.reason()).isEqualTo(RequestRefusedException.Reason.TOO_LARGE);
                    assertThat(p.getMessage()).contains("At most " + JekyllImporter.MAX_FILES + " files");
                });
    }
}
