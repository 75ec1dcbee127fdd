package dev.agenda.support.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import com.mongodb.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * What a probe and an operator see while MongoDB is unreachable (a port nobody listens on): readiness DOWN within
 * the probe's few seconds, not after the driver's 30 s server selection; liveness still UP (a restart would not
 * bring the database back); an admin sees which component is down, an anonymous caller only the status.
 */
@SpringBootTest(classes = HealthProbesTest.App.class, properties = "agenda.security.admin-password=health-test")
@AutoConfigureMockMvc
class HealthProbesTest {

    /** What docker-compose's health checks wait for an answer (timeout: 5s), with room for a busy machine. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    @DynamicPropertySource
    static void unreachableMongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> "mongodb://127.0.0.1:" + closedPort());
        registry.add("spring.mongodb.database", () -> "agenda_health_test");
    }

    @Autowired
    MockMvc mvc;

    @Test
    void readinessIsDownWithinAProbesTimeoutWhileMongoIsUnreachable() {
        assertTimeoutPreemptively(PROBE_TIMEOUT, () -> mvc.perform(get("/actuator/health/readiness"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.status").value("DOWN")));
    }

    @Test
    void livenessDoesNotDependOnMongo() throws Exception {
        mvc.perform(get("/actuator/health/liveness"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"));
    }

    @Test
    void anAdminSeesWhichComponentIsDownAndWhy() {
        assertTimeoutPreemptively(PROBE_TIMEOUT, () -> mvc.perform(get("/actuator/health")
                        .header("Authorization", "Basic " + Base64.getEncoder()
                                .encodeToString("admin:health-test".getBytes())))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.components.mongo.status").value("DOWN"))
                .andExpect(jsonPath("$.components.mongo.details.error")
                        .value(org.hamcrest.Matchers.startsWith("no answer to {ping: 1} within"))));
    }

    @Test
    void anAnonymousCallerSeesTheStatusOnly() {
        assertTimeoutPreemptively(PROBE_TIMEOUT, () -> mvc.perform(get("/actuator/health"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.status").value("DOWN"))
                .andExpect(jsonPath("$.components").doesNotExist()));
    }

    @Test
    void aMongoThatAnswersIsUp() {
        MongoServer server = new MongoServer(new MemoryBackend());
        try (var client = MongoClients.create("mongodb://" + hostAndPort(server.bind()))) {
            MongoPingHealthIndicator indicator = new MongoPingHealthIndicator(new MongoTemplate(client, "agenda"));
            assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
        } finally {
            server.shutdownNow();
        }
    }

    private static String hostAndPort(java.net.InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SpringBootApplication
    static class App {
    }
}
