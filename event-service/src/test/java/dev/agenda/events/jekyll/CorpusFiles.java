package dev.agenda.events.jekyll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real numerique.gouv.fr corpus: {@code agenda.corpus.dir} (set by the root pom), else the shared folder. */
final class CorpusFiles {

    private CorpusFiles() {
    }

    static Path dir() {
        String configured = System.getProperty("agenda.corpus.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("../../shared/corpus/numerique-agenda");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("corpus directory not found: " + dir.toAbsolutePath());
        }
        return dir;
    }

    /** Every event file, with its name relative to the corpus folder (one lives in a subfolder). */
    static List<Path> files() {
        Path dir = dir();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".markdown"))
                    .filter(p -> !p.getFileName().toString().equals("SOURCE.md"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String name(Path file) {
        return dir().relativize(file).toString().replace('\\', '/');
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
