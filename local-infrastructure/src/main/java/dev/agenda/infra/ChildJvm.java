package dev.agenda.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java main class run in its own JVM under {@link Watchdog}, with its output in a log file. Separate JVMs keep the
 * components' memory apart (so the bench can measure it), and let a test kill one abruptly, as a crash would.
 */
public final class ChildJvm {

    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);

    private final String name;
    private final List<String> command;
    private final Path logFile;
    private final BooleanSupplier ready;
    private final Duration startTimeout;
    private Process process;

    private ChildJvm(String name, List<String> command, Path logFile, BooleanSupplier ready, Duration startTimeout) {
        this.name = name;
        this.command = command;
        this.logFile = logFile;
        this.ready = ready;
        this.startTimeout = startTimeout;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The classpath of this JVM, so that a child can run any class this module brings. */
    public static String currentClasspath() {
        return System.getProperty("java.class.path");
    }

    public synchronized ChildJvm start() {
        if (isAlive()) {
            return this;
        }
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            long started = System.nanoTime();
            process = builder.start();
            long deadline = started + startTimeout.toNanos();
            while (!ready.getAsBoolean()) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with code " + process.exitValue()
                            + " before it was ready; see " + logFile + "\n" + tail());
                }
                if (System.nanoTime() > deadline) {
                    kill();
                    throw new IllegalStateException(name + " was not ready within " + startTimeout + "; see "
                            + logFile + "\n" + tail());
                }
                Thread.sleep(100);
            }
            log.info("{} ready in {} ms (pid {}, log {})", name, (System.nanoTime() - started) / 1_000_000,
                    process.pid(), logFile);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Asks the child to stop (SIGTERM, so its shutdown hooks run), then kills it if it does not. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                log.warn("{} did not stop within 30 s, killing it", name);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Kills the child at once (SIGKILL), as a crash would. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public Path logFile() {
        return logFile;
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public static final class Builder {
        private final String name;
        private String classpath = currentClasspath();
        private String mainClass;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private Path logFile;
        private BooleanSupplier ready = () -> true;
        private Duration startTimeout = Duration.ofSeconds(120);

        private Builder(String name) {
            this.name = name;
        }

        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        /** Puts this module's own classes (for {@link Watchdog}) in front of the given entries. */
        public Builder classpathWithLaunchers(List<Path> entries) {
            List<String> parts = new ArrayList<>();
            parts.add(launcherLocation());
            entries.forEach(p -> parts.add(p.toAbsolutePath().toString()));
            this.classpath = String.join(File.pathSeparator, parts);
            return this;
        }

        public Builder mainClass(String mainClass) {
            this.mainClass = mainClass;
            return this;
        }

        public Builder jvmArgs(String... values) {
            jvmArgs.addAll(List.of(values));
            return this;
        }

        public Builder args(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        public Builder args(List<String> values) {
            args.addAll(values);
            return this;
        }

        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public Builder readyWhen(BooleanSupplier ready) {
            this.ready = ready;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        public ChildJvm build() {
            if (mainClass == null || logFile == null) {
                throw new IllegalStateException("mainClass and logFile are required");
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // An OutOfMemoryError kills only the thread it hits: the SMTP sink's listener died of one after ~20,000
            // stored mails while the process, its inbox and its health answer stayed up, so nobody was told. A child
            // that exits is reported by the local stack ("exited unexpectedly") and its port is free for a restart.
            command.add("-XX:+ExitOnOutOfMemoryError");
            command.addAll(jvmArgs);
            command.add("-cp");
            command.add(classpath);
            command.add(Watchdog.class.getName());
            command.add(Long.toString(ProcessHandle.current().pid()));
            command.add(mainClass);
            command.addAll(args);
            return new ChildJvm(name, List.copyOf(command), logFile, ready, startTimeout);
        }
    }

    static String launcherLocation() {
        try {
            return Path.of(Watchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate the launcher classes", e);
        }
    }
}
