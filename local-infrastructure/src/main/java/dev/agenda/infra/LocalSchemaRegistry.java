package dev.agenda.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The Apicurio registry built by the {@code schema-registry} module (its Confluent-compatible API under
 * {@code /apis/ccompat/v7}), in a child JVM. Storage is in memory for tests; the local stack gives it an H2 file,
 * because Kafka keeps its records between starts and they carry schema ids: a registry that forgot them would leave
 * every consumer unable to decode a replayed record.
 */
public final class LocalSchemaRegistry {

    public static final String JAR_PROPERTY = "agenda.registry.jar";
    static final String RELATIVE_JAR = "schema-registry/target/quarkus-app/quarkus-run.jar";

    private final int port;
    private final ChildJvm jvm;

    public LocalSchemaRegistry(int port, Path logFile) {
        this(port, null, logFile);
    }

    /** @param storeDir directory of the H2 file store, or null for in-memory storage */
    public LocalSchemaRegistry(int port, Path storeDir, Path logFile) {
        this.port = port;
        ChildJvm.Builder builder = ChildJvm.builder("schema-registry")
                .classpathWithLaunchers(List.of(runnerJar()))
                .mainClass("io.quarkus.bootstrap.runner.QuarkusEntryPoint")
                .jvmArgs("-Xms32m", "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dquarkus.http.host=" + Ports.HOST, "-Dquarkus.http.port=" + port);
        if (storeDir != null) {
            builder.jvmArgs("-Dquarkus.datasource.jdbc.url=jdbc:h2:file:"
                    + storeDir.toAbsolutePath().resolve("registry"));
        }
        this.jvm = builder
                .logFile(logFile)
                .readyWhen(() -> Http.answers200(baseUrl() + "/health/ready"))
                .startTimeout(Duration.ofSeconds(90))
                .build();
    }

    public LocalSchemaRegistry start() {
        jvm.start();
        return this;
    }

    public void stop() {
        jvm.stop();
    }

    public long pid() {
        return jvm.pid();
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://" + Ports.HOST + ":" + port;
    }

    /** What to give as {@code schema.registry.url}. */
    public String confluentApiUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    /** The runner jar: from {@code -Dagenda.registry.jar}, else looked up from the working directory upwards. */
    public static Path runnerJar() {
        String configured = System.getProperty(JAR_PROPERTY);
        if (configured != null && Files.isRegularFile(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE_JAR);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Schema registry runner not found (" + RELATIVE_JAR + "). Build it first: "
                + "./mvnw -pl schema-registry package");
    }
}
