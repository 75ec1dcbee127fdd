package dev.agenda.publishing.site;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the files of one site directory. A file is written to a temporary file next to it and renamed over it, so a
 * reader sees the old file or the new one, never a partial one; identical content is not rewritten, so an unchanged
 * page keeps its mtime (and HTTP caches stay valid).
 */
final class AtomicFiles {

    private final Path root;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    /** Hash of what this process last wrote to each path: an unchanged file is then skipped without reading it. */
    private final java.util.Map<Path, Long> lastWritten = new java.util.concurrent.ConcurrentHashMap<>();

    AtomicFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    long written() {
        return written.get();
    }

    long deleted() {
        return deleted.get();
    }

    /** The file for a site-relative path, refusing anything that would land outside the site directory. */
    Path resolve(String relative) {
        Path path = root.resolve(relative).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("Path escapes the site directory: " + relative);
        }
        return path;
    }

    /** CRC32C (a CPU instruction on x86 and ARM) and the length, in 64 bits. */
    private static long fingerprint(byte[] content) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(content);
        return (crc.getValue() << 32) | (content.length & 0xffffffffL);
    }

    /** @return true if the file was (re)written, false if it already had this content */
    boolean write(String relative, byte[] content) {
        Path target = resolve(relative);
        long hash = fingerprint(content);
        try {
            Long previous = lastWritten.get(target);
            if (previous != null) {
                // We wrote this file last: its fingerprint tells whether the content changed, without reading it.
                if (previous == hash && Files.isRegularFile(target)) {
                    return false;
                }
            } else if (Files.isRegularFile(target) && Files.size(target) == content.length
                    && Arrays.equals(Files.readAllBytes(target), content)) {
                lastWritten.put(target, hash);
                return false;
            }
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    out.write(content);
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
            lastWritten.put(target, hash);
            written.incrementAndGet();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + target, e);
        }
    }

    /** Deletes a file and then its parent directories that became empty, up to the root. */
    void delete(String relative) {
        Path target = resolve(relative);
        try {
            lastWritten.remove(target);
            if (Files.deleteIfExists(target)) {
                deleted.incrementAndGet();
            }
            Path dir = target.getParent();
            while (dir != null && !dir.equals(root) && dir.startsWith(root)) {
                try {
                    Files.delete(dir);
                } catch (DirectoryNotEmptyException | NoSuchFileException stop) {
                    break;
                }
                dir = dir.getParent();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + target, e);
        }
    }
}
