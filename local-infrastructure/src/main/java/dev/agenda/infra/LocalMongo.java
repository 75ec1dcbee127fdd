package dev.agenda.infra;

import java.nio.file.Path;
import java.time.Duration;

/** mongo-java-server in a child JVM; {@code h2File} null means the memory backend. */
public final class LocalMongo {

    /**
     * The emulator's heap (default 256m). With the memory backend it holds every record and the oplog's last hour
     * ({@link MongoServerMain#OPLOG_RETENTION_PROPERTY}, passed on when set): the fan-out bench's tens of thousands of
     * deliveries need more, or it spends its time in full collections.
     */
    public static final String MAX_HEAP_PROPERTY = "agenda.local-mongo.max-heap";

    private final int port;
    private final ChildJvm jvm;

    public LocalMongo(int port, Path h2File, Path logFile) {
        this.port = port;
        ChildJvm.Builder builder = ChildJvm.builder("mongodb")
                .mainClass(MongoServerMain.class.getName())
                .jvmArgs("-Xms32m", "-Xmx" + System.getProperty(MAX_HEAP_PROPERTY, "256m"), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dlogback.configurationFile=agenda-infra-logback.xml")
                .args(Integer.toString(port))
                .logFile(logFile)
                .readyWhen(() -> Ports.accepting(port))
                .startTimeout(Duration.ofSeconds(60));
        String retention = System.getProperty(MongoServerMain.OPLOG_RETENTION_PROPERTY);
        if (retention != null) {
            builder.jvmArgs("-D" + MongoServerMain.OPLOG_RETENTION_PROPERTY + "=" + retention);
        }
        if (h2File != null) {
            builder.args(h2File.toString());
        }
        this.jvm = builder.build();
    }

    public LocalMongo start() {
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

    /** Connection string without a database: each service names its own database. */
    public String uri() {
        return "mongodb://" + Ports.HOST + ":" + port;
    }
}
