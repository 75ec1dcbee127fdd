package dev.agenda.publishing.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Writes the files of one site directory. A file is written to a temporary file next to it and renamed over it, so a
 * reader sees the old file or the new one, never a partial one; identical content is not rewritten, so an unchanged
 * page keeps its mtime (and HTTP caches stay valid).
 * <p>
 * A directory made for a full build is not served until it is complete and swapped in: while it is
 * {@linkplain #unpublished(Path) unpublished} nobody can see a partial file, so files are written in place, without the
 * temporary file, the rename and the look for an existing copy (half the system calls of a full build).
 */
final class AtomicFiles {

    private final Path root;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    /** Hash of what this process last wrote to each path: an unchanged file is then skipped without reading it. */
    private final Map<Path, Long> lastWritten = new ConcurrentHashMap<>();
    private final Set<Path> directories = ConcurrentHashMap.newKeySet();
    private final String token = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + "-";
    private final AtomicLong temps = new AtomicLong();
    /** True while no reader can see the directory (a fresh build, before its swap). */
    private volatile boolean unpublished;

    AtomicFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * Files for a directory that does not exist yet (or is empty) and is not served until {@link #published()}.
     *
     * @throws IllegalStateException if the directory already holds files: someone may be reading them
     */
    static AtomicFiles unpublished(Path root) {
        AtomicFiles files = new AtomicFiles(root);
        try (Stream<Path> entries = Files.isDirectory(files.root) ? Files.list(files.root)
                : Stream.empty()) {
            if (entries.findAny().isPresent()) {
                throw new IllegalStateException("Not a fresh build directory: " + files.root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not look into " + files.root, e);
        }
        files.unpublished = true;
        return files;
    }

    /** From now on readers may see this directory: every write replaces its file atomically. */
    void published() {
        unpublished = false;
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
    private static long fingerprint(List<byte[]> parts) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        long length = 0;
        for (byte[] part : parts) {
            crc.update(part);
            length += part.length;
        }
        return (crc.getValue() << 32) | (length & 0xffffffffL);
    }

    /** @return true if the file was (re)written, false if it already had this content */
    boolean write(String relative, byte[] content) {
        return write(relative, List.of(content));
    }

    /**
     * Writes the concatenation of {@code parts} (big site-wide files are assembled from cached per-event fragments,
     * which are written as they are, without first being copied into one array).
     *
     * @return true if the file was (re)written, false if it already had this content
     */
    boolean write(String relative, List<byte[]> parts) {
        Path target = resolve(relative);
        long hash = fingerprint(parts);
        try {
            Long previous = lastWritten.get(target);
            if (unpublished) {
                if (previous != null && previous == hash) {
                    return false;
                }
                writeInPlace(target, parts);
                lastWritten.put(target, hash);
                written.incrementAndGet();
                return true;
            }
            if (previous != null) {
                // We wrote this file last: its fingerprint tells whether the content changed, without reading it.
                if (previous == hash && Files.isRegularFile(target)) {
                    return false;
                }
            } else if (sameContent(target, parts)) {
                lastWritten.put(target, hash);
                return false;
            }
            Path parent = parentOf(target);
            // A name unique to this process and file: CREATE_NEW refuses a leftover rather than writing through it.
            Path temp = parent.resolve("." + target.getFileName() + "." + token + temps.incrementAndGet() + ".tmp");
            boolean moved = false;
            try {
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    writeAll(out, parts);
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                moved = true;
            } finally {
                if (!moved) {
                    Files.deleteIfExists(temp);
                }
            }
            lastWritten.put(target, hash);
            written.incrementAndGet();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + target, e);
        }
    }

    /** The parent directory of a file, made if needed; directories made or seen are not looked up again. */
    private Path parentOf(Path target) throws IOException {
        Path parent = target.getParent();
        if (!directories.contains(parent)) {
            Files.createDirectories(parent);
            directories.add(parent);
        }
        return parent;
    }

    private void writeInPlace(Path target, List<byte[]> parts) throws IOException {
        parentOf(target);
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAll(out, parts);
        }
    }

    private static void writeAll(FileChannel out, List<byte[]> parts) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[parts.size()];
        long remaining = 0;
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.wrap(parts.get(i));
            remaining += buffers[i].remaining();
        }
        while (remaining > 0) {
            remaining -= out.write(buffers);
        }
    }

    /** Whether a file this process has not written yet already holds exactly these bytes (a restart, a replay). */
    private boolean sameContent(Path target, List<byte[]> parts) throws IOException {
        long length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(target, BasicFileAttributes.class);
        } catch (NoSuchFileException absent) {
            return false;
        }
        if (!attributes.isRegularFile() || attributes.size() != length) {
            return false;
        }
        byte[] existing = Files.readAllBytes(target);
        int offset = 0;
        for (byte[] part : parts) {
            if (!Arrays.equals(existing, offset, offset + part.length, part, 0, part.length)) {
                return false;
            }
            offset += part.length;
        }
        return true;
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
                    directories.remove(dir);
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
