package dev.agenda.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.agenda.infra.ChildJvm;
import dev.agenda.infra.LocalSchemaRegistry;

/**
 * The local stack: {@code java -jar local-stack/target/agenda-local-stack.jar [--infra-only]}. Starts Kafka,
 * MongoDB, the schema registry and the SMTP sink in parallel, then the three services in parallel, waits until each
 * {@code /actuator/health} is UP, prints the URLs and the admin credentials, and on Ctrl-C stops the services first
 * (so they flush to a Kafka and a MongoDB that are still there), then the infrastructure. Every child runs under
 * the watchdog, so even {@code kill -9} of this launcher leaves no process behind.
 */
public final class LocalStack {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** Kept reachable: an unreachable channel may be closed by the GC, which would release the lock. */
    private static FileLock dataDirLock;

    private final StackConfig config;
    private final StackSecrets secrets;
    private final PrintStream out;
    private final StackInfrastructure infra;
    private final Map<StackService, ChildJvm> services = new EnumMap<>(StackService.class);
    private final ExecutorService starter = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stack-start");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;

    public LocalStack(StackConfig config, StackSecrets secrets, PrintStream out) {
        this.config = config;
        this.secrets = secrets;
        this.out = out;
        this.infra = new StackInfrastructure(config);
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(StackConfig.USAGE);
            return;
        }
        StackConfig config;
        try {
            config = StackConfig.resolve(List.of(args), System.getenv(), System.getProperties());
        } catch (StackConfig.UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(StackConfig.USAGE);
            System.exit(2);
            return;
        }
        watchParent(System.getProperty("agenda.parent.pid"));
        System.exit(run(config));
    }

    /**
     * run-local.sh starts this JVM in a process group of its own (so a Ctrl-C reaches the launcher only through the
     * script); should the script itself be killed outright, the stack follows it instead of running on unseen.
     */
    private static void watchParent(String pid) {
        if (pid == null || pid.isBlank()) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresentOrElse(parent -> parent.onExit().thenRun(() -> {
            System.err.println("[stack] " + pid + " (run-local.sh) is gone, stopping");
            System.exit(0);
        }), () -> System.exit(0));
    }

    /** Runs the stack until this JVM is asked to stop; returns an exit code when it cannot start. */
    static int run(StackConfig config) {
        PrintStream out = System.out;
        Map<StackService, Path> jars = new EnumMap<>(StackService.class);
        List<String> problems = new ArrayList<>();
        if (!config.infraOnly()) {
            for (StackService service : StackService.values()) {
                Optional<Path> jar = service.jar(config.rootDir());
                jar.ifPresentOrElse(j -> jars.put(service, j), () -> problems.add(service.missingJarMessage(
                        config.rootDir())));
            }
        }
        if (System.getProperty(LocalSchemaRegistry.JAR_PROPERTY) == null) {
            // The launchers look for it from the working directory; the stack may be started from anywhere.
            System.setProperty(LocalSchemaRegistry.JAR_PROPERTY,
                    config.rootDir().resolve("schema-registry/target/quarkus-app/quarkus-run.jar").toString());
        }
        try {
            LocalSchemaRegistry.runnerJar();
        } catch (IllegalStateException e) {
            problems.add("schema-registry: " + e.getMessage());
        }
        problems.addAll(portConflicts(config));
        if (!problems.isEmpty()) {
            System.err.println("The local stack cannot start:");
            problems.forEach(p -> System.err.println("  - " + p));
            if (jars.size() < StackService.values().length && !config.infraOnly()) {
                System.err.println("To start the infrastructure alone: ./run-local.sh --infra-only");
            }
            return 2;
        }
        try {
            Files.createDirectories(config.logDir());
        } catch (IOException e) {
            System.err.println("cannot create " + config.logDir() + ": " + e);
            return 2;
        }
        dataDirLock = lockDataDir(config.dataDir());
        if (dataDirLock == null) {
            System.err.println("Another local stack is already running on " + config.dataDir()
                    + " (lock held on stack.lock). Stop it first, or use --data-dir=... for a second one.");
            return 2;
        }
        StackSecrets secrets = StackSecrets.load(config.dataDir(), System.getenv());
        LocalStack stack = new LocalStack(config, secrets, out);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-shutdown"));
        try {
            stack.start(jars);
        } catch (RuntimeException e) {
            if (stack.stopping) {
                return 130;
            }
            System.err.println();
            System.err.println("The local stack failed to start: " + e.getMessage());
            System.err.println("Logs: " + config.logDir());
            return 1;
        }
        stack.printSummary();
        stack.watchChildren();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Starts the infrastructure, then the services whose jars are given; throws when any fails to become ready. */
    public void start(Map<StackService, Path> jars) {
        long started = System.nanoTime();
        out.printf("Starting the Agenda local stack (data: %s, logs: %s)%n", config.dataDir(), config.logDir());
        out.println("Starting Kafka, MongoDB, the schema registry and the SMTP sink...");
        infra.start(out::println);
        out.printf("Infrastructure ready in %.1f s%n", seconds(started));
        if (jars.isEmpty()) {
            readyIn = seconds(started);
            return;
        }
        out.println("Starting " + String.join(", ", jars.keySet().stream().map(StackService::module).toList())
                + "...");
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (Map.Entry<StackService, Path> entry : jars.entrySet()) {
            StackService service = entry.getKey();
            ChildJvm jvm = service.childJvm(entry.getValue(), infra, secrets);
            synchronized (services) {
                services.put(service, jvm);
            }
            long t0 = System.nanoTime();
            starts.add(CompletableFuture.runAsync(() -> {
                jvm.start();
                out.printf(Locale.ROOT, "  %-21s UP in    %5.1f s (pid %d, log %s)%n", service.module(), seconds(t0),
                        jvm.pid(), jvm.logFile());
            }, starter));
        }
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<Void> start : starts) {
            try {
                start.join();
            } catch (CompletionException e) {
                failures.add(e.getCause());
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException error = new IllegalStateException(failures.get(0).getMessage(), failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
        readyIn = seconds(started);
    }

    private volatile double readyIn;

    /**
     * Services first, then the infrastructure. Works on the child processes themselves rather than on the launchers'
     * handles, so a Ctrl-C in the middle of a start (while a handle still waits for readiness) stops at once too.
     */
    public void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        out.println();
        out.println("Stopping the Agenda local stack...");
        List<ProcessHandle> children = ProcessHandle.current().children().toList();
        List<ProcessHandle> serviceProcesses = children.stream().filter(LocalStack::isService).toList();
        List<ProcessHandle> others = children.stream().filter(p -> !isService(p)).toList();
        terminate(serviceProcesses);
        terminate(others);
        // Whatever those left behind (nothing, normally: each child is one JVM).
        terminate(ProcessHandle.current().descendants().toList());
        out.println("Stopped.");
    }

    private static boolean isService(ProcessHandle process) {
        return process.info().arguments().map(args -> Arrays.asList(args).contains(StackService.BOOT_LAUNCHER))
                .orElse(false);
    }

    /** SIGTERM to all (their shutdown hooks run), wait, then SIGKILL what is still there. */
    private static void terminate(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle process : processes) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                process.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
    }

    /** Tells the user when a component dies on its own (a crash, or killed from outside). */
    private void watchChildren() {
        Map<String, Long> pids = new java.util.LinkedHashMap<>(infra.pids());
        synchronized (services) {
            services.forEach((service, jvm) -> pids.put(service.module(), jvm.pid()));
        }
        pids.forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(p -> p.onExit().thenRun(() -> {
            if (!stopping) {
                System.err.printf("%n[stack] %s (pid %d) exited unexpectedly; see %s%n", name, pid,
                        config.logDir().resolve(name + ".log"));
            }
        })));
    }

    private void printSummary() {
        StringBuilder b = new StringBuilder();
        String line = "=".repeat(90);
        b.append('\n').append(line).append('\n');
        b.append(String.format(Locale.ROOT, " Agenda local stack ready in %.1f s%s%n", readyIn,
                config.infraOnly() ? " (infrastructure only)" : ""));
        b.append(line).append('\n');
        synchronized (services) {
            if (services.containsKey(StackService.EVENT)) {
                String events = StackService.EVENT.baseUrl(config);
                row(b, "Event API (admin)", events + "/api/events");
                row(b, "  Swagger UI (admin)", events + "/swagger-ui.html");
                row(b, "  OpenAPI (admin)", events + "/v3/api-docs");
            }
            if (services.containsKey(StackService.NOTIFICATION)) {
                String notifications = StackService.NOTIFICATION.baseUrl(config);
                row(b, "Subscriptions", "POST " + notifications + "/api/subscriptions");
                row(b, "  Confirmation mails", "in the mail inbox below");
                row(b, "  Subscribers (admin)", notifications + "/api/admin/subscribers");
            }
            if (services.containsKey(StackService.PUBLISHING)) {
                String site = StackService.PUBLISHING.baseUrl(config);
                row(b, "Site preview", site + "/");
                row(b, "  Site status (admin)", site + "/api/site/status");
            }
            for (StackService service : services.keySet()) {
                row(b, "Health " + service.module(), service.baseUrl(config) + "/actuator/health");
            }
        }
        row(b, "Mail inbox (JSON)", infra.inboxUrl() + "/api/messages");
        row(b, "SMTP", StackConfig.HOST + ":" + infra.smtpPort());
        row(b, "IMAP (unsubscribe mailbox)", StackConfig.HOST + ":" + infra.imapPort() + "   (login "
                + dev.agenda.infra.LocalSmtpSink.UNSUBSCRIBE_ADDRESS + ")");
        row(b, "Schema registry", infra.registryUrl() + "/apis/ccompat/v7/subjects");
        row(b, "Kafka", infra.kafkaBootstrapServers());
        row(b, "MongoDB", infra.mongoUri());
        b.append('\n');
        row(b, "Admin user", secrets.adminUser() + "   (for the URLs marked admin, HTTP Basic)");
        row(b, "Admin password", secrets.adminPassword() + (secrets.adminPasswordGenerated()
                ? "   (generated, kept in " + config.dataDir().resolve(StackSecrets.FILE) + ";"
                        + " set AGENDA_ADMIN_PASSWORD to choose)"
                : "   (from AGENDA_ADMIN_PASSWORD)"));
        if (!services.isEmpty()) {
            b.append(String.format(" e.g. curl -u %s:%s %s/api/events%n", secrets.adminUser(),
                    secrets.adminPassword(), StackService.EVENT.baseUrl(config)));
        }
        row(b, "Data", config.dataDir().toString());
        row(b, "Logs", config.logDir().toString());
        b.append(line).append('\n');
        b.append(String.format(Locale.ROOT, " Press Ctrl-C to stop everything (or: kill %d).%n",
                ProcessHandle.current().pid()));
        out.print(b);
        out.flush();
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, " %-30s %s%n", label, value));
    }

    /** Every port of the stack that something else already holds, with the variable that moves it. */
    static List<String> portConflicts(StackConfig config) {
        List<String> conflicts = new ArrayList<>();
        config.ports().byVariable().forEach((variable, port) -> {
            boolean serviceOnly = variable.endsWith("_SERVICE_PORT");
            if (serviceOnly && config.infraOnly()) {
                return;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new java.net.InetSocketAddress(InetAddress.getByName(StackConfig.HOST), port));
            } catch (IOException e) {
                conflicts.add("port " + port + " is already in use (set " + variable + " to use another one)");
            }
        });
        return conflicts;
    }

    /** Held for the life of this JVM: two stacks on the same data would corrupt each other's stores. */
    private static FileLock lockDataDir(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(dataDir.resolve("stack.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
            }
            return lock;
        } catch (IOException e) {
            return null;
        }
    }

    public StackInfrastructure infrastructure() {
        return infra;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
