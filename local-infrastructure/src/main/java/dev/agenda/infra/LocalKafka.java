package dev.agenda.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** A real Kafka broker (KRaft, single node) in a child JVM. Stop and start it again to simulate an outage. */
public final class LocalKafka {

    private final int port;
    private final ChildJvm jvm;

    public LocalKafka(Path dataDir, int port, int controllerPort, Path logFile) {
        this.port = port;
        this.jvm = ChildJvm.builder("kafka")
                .mainClass(KafkaServerMain.class.getName())
                .jvmArgs("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dlog4j2.level=WARN", "-Dlogback.configurationFile=agenda-infra-logback.xml")
                .args(dataDir.toString(), Integer.toString(port), Integer.toString(controllerPort))
                .logFile(logFile)
                .readyWhen(this::clusterAnswers)
                .startTimeout(Duration.ofSeconds(90))
                .build();
    }

    public LocalKafka start() {
        jvm.start();
        return this;
    }

    public void stop() {
        jvm.stop();
    }

    public void kill() {
        jvm.kill();
    }

    public boolean isRunning() {
        return jvm.isAlive();
    }

    public long pid() {
        return jvm.pid();
    }

    public int port() {
        return port;
    }

    public String bootstrapServers() {
        return Ports.HOST + ":" + port;
    }

    private boolean clusterAnswers() {
        if (!Ports.accepting(port)) {
            return false;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }
}
