package dev.agenda.publishing.site;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served file is replaced by a rename (a reader holding the old file keeps reading the old content, a new reader gets
 * the new one); a fresh build directory, which nobody reads before its swap, is written in place.
 */
class AtomicFilesTest {

    @Test
    void aServedFileIsReplacedByANewFileNotRewrittenInPlace(@TempDir Path dir) throws IOException {
        AtomicFiles files = new AtomicFiles(dir);
        files.write("agenda/a/index.html", "one".getBytes(UTF_8));
        Object before = fileKey(dir.resolve("agenda/a/index.html"));

        assertThat(files.write("agenda/a/index.html", "two".getBytes(UTF_8))).isTrue();

        assertThat(fileKey(dir.resolve("agenda/a/index.html"))).isNotEqualTo(before);
        assertThat(Files.readString(dir.resolve("agenda/a/index.html"))).isEqualTo("two");
        assertThat(namesUnder(dir)).containsExactly("agenda/a/index.html");
    }

    @Test
    void anUnpublishedDirectoryIsWrittenInPlaceUntilItIsPublished(@TempDir Path dir) throws IOException {
        Path site = dir.resolve("build-1");
        AtomicFiles files = AtomicFiles.unpublished(site);
        files.write("agenda/a/index.html", "one".getBytes(UTF_8));
        Object written = fileKey(site.resolve("agenda/a/index.html"));

        assertThat(files.write("agenda/a/index.html", "two".getBytes(UTF_8))).isTrue();
        assertThat(files.write("agenda/a/index.html", "two".getBytes(UTF_8))).isFalse();
        assertThat(fileKey(site.resolve("agenda/a/index.html"))).isEqualTo(written);
        assertThat(Files.readString(site.resolve("agenda/a/index.html"))).isEqualTo("two");

        files.published();
        files.write("agenda/a/index.html", "three".getBytes(UTF_8));
        assertThat(fileKey(site.resolve("agenda/a/index.html"))).isNotEqualTo(written);
        assertThat(Files.readString(site.resolve("agenda/a/index.html"))).isEqualTo("three");
        assertThat(namesUnder(site)).containsExactly("agenda/a/index.html");
    }

    @Test
    void aDirectoryThatAlreadyHoldsFilesIsNeverWrittenInPlace(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("index.html"), "served");

        assertThatThrownBy(() -> AtomicFiles.unpublished(dir)).isInstanceOf(IllegalStateException.class);
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static java.util.List<String> namesUnder(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
