package dev.agenda.schemas.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaValidationException;
import org.apache.avro.SchemaValidator;
import org.apache.avro.SchemaValidatorBuilder;

/**
 * Fails the build when a current schema ({@code src/main/avro/X.avsc}) is not FULL_TRANSITIVE compatible with every
 * released version kept in {@code schema-history/X/v*.avsc}: new readers must read all old data, and old readers
 * must read all new data, so producers and consumers can be upgraded in any order.
 */
public final class CompatibilityGuard {

    private static final SchemaValidator FULL_TRANSITIVE = new SchemaValidatorBuilder().mutualReadStrategy().validateAll();

    private CompatibilityGuard() {
    }

    /** Returns one line per incompatibility found; empty when everything is compatible. */
    public static List<String> check(Path currentDir, Path historyDir) throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> current = Files.list(currentDir)) {
            for (Path file : current.filter(p -> p.toString().endsWith(".avsc")).sorted().toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.avsc$", "");
                Schema schema = new Schema.Parser().parse(file.toFile());
                Path released = historyDir.resolve(name);
                if (!Files.isDirectory(released)) {
                    problems.add(name + ": no released history in " + released + " (copy the schema there as v1.avsc)");
                    continue;
                }
                problems.addAll(check(name, schema, releasedVersions(released)));
            }
        }
        return problems;
    }

    static List<String> check(String name, Schema candidate, List<Path> released) throws IOException {
        List<String> problems = new ArrayList<>();
        if (released.isEmpty()) {
            problems.add(name + ": schema history is empty");
        }
        for (Path version : released) {
            Schema old = new Schema.Parser().parse(version.toFile());
            try {
                FULL_TRANSITIVE.validate(candidate, List.of(old));
            } catch (SchemaValidationException e) {
                problems.add(name + " is not FULL_TRANSITIVE compatible with " + version.getFileName() + ": "
                        + e.getMessage());
            }
        }
        return problems;
    }

    /** v1.avsc, v2.avsc, … in version order (v10 after v9). */
    static List<Path> releasedVersions(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(
                            p.getFileName().toString().replaceAll("\\D", ""))))
                    .toList();
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: CompatibilityGuard <current-schema-dir> <history-dir>");
        }
        List<String> problems = check(Path.of(args[0]), Path.of(args[1]));
        if (!problems.isEmpty()) {
            // An exception (not System.exit) so that exec:java reports it and fails the build cleanly.
            throw new IllegalStateException("Schema evolution guard failed:\n  " + String.join("\n  ", problems));
        }
        System.out.println("Schema evolution guard: every schema is FULL_TRANSITIVE compatible with its history.");
    }
}
