package dev.agenda.events.jekyll;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.agenda.events.jekyll.JekyllFormat.Imported;
import dev.agenda.events.jekyll.JekyllFormat.Parsed;
import dev.agenda.events.jekyll.JekyllFormat.Rejected;

/** Every real file reads as an event or is rejected with a reason, and import → export → import is a fixed point. */
class JekyllFormatCorpusTest {

    @Test
    void everyCorpusFileImportsOrIsRejectedWithAReasonAndRoundTrips() {
        List<Path> files = CorpusFiles.files();
        assertThat(files).hasSizeGreaterThanOrEqualTo(100);
        List<String> report = new ArrayList<>();
        int imported = 0;
        for (Path file : files) {
            String name = CorpusFiles.name(file);
            Parsed parsed = JekyllFormat.parse(name, CorpusFiles.read(file));
            if (parsed instanceof Rejected r) {
                assertThat(r.reason()).as(name).isNotBlank();
                report.add("REJECTED " + name + ": " + r.reason());
                continue;
            }
            imported++;
            Imported first = (Imported) parsed;
            if (!first.warnings().isEmpty()) {
                report.add("IMPORTED " + name + " as " + first.event().status() + ", " + first.warnings());
            }
            String exported = JekyllFormat.write(first.event());
            Parsed again = JekyllFormat.parse(JekyllFormat.fileName(first.event()), exported);
            assertThat(again).as("re-import of %s:%n%s", name, exported).isInstanceOf(Imported.class);
            Imported second = (Imported) again;
            assertThat(second.event()).as("round trip of %s:%n%s", name, exported).isEqualTo(first.event());
            assertThat(JekyllFormat.write(second.event())).as(name).isEqualTo(exported);
        }
        // The editor-facing decisions, for whoever reads the build log.
        report.forEach(System.out::println);
        assertThat(imported).isGreaterThanOrEqualTo(100);
    }
}
