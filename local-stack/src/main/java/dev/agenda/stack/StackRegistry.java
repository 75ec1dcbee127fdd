package dev.agenda.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.agenda.infra.ChildJvm;
import dev.agenda.infra.LocalSchemaRegistry;

/**
 * The Apicurio registry of the {@code schema-registry} module, like {@link LocalSchemaRegistry} but with its H2
 * store in a file under the data directory instead of in memory. Kafka keeps its records between starts, and they
 * carry schema ids: a registry that forgot them would leave every consumer unable to decode a replayed record (the
 * publishing-service's rebuild replays from offset 0).
 */
final class StackRegistry {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final ChildJvm jvm;

    StackRegistry(int port, Path storeDir, Path logFile) {
        this.port = port;
        String h2 = storeDir.toAbsolutePath().resolve("registry").toString();
        this.jvm = ChildJvm.builder("schema-registry")
                .classpathWithLaunchers(List.of(LocalSchemaRegistry.runnerJar()))
                .mainClass("io.quarkus.bootstrap.runner.QuarkusEntryPoint")
                .jvmArgs("-Xms32m", "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dquarkus.http.host=" + StackConfig.HOST, "-Dquarkus.http.port=" + port,
                        "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + h2)
                .logFile(logFile)
                .readyWhen(() -> answers200(baseUrl() + "/health/ready"))
                .startTimeout(Duration.ofSeconds(120))
                .build();
    }

    void start() {
        jvm.start();
    }

    void stop() {
        jvm.stop();
    }

    long pid() {
        return jvm.pid();
    }

    String baseUrl() {
        return "http://" + StackConfig.HOST + ":" + port;
    }

    String confluentApiUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    static boolean answers200(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
