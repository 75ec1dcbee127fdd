package dev.agenda.support.security;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A Prometheus server scrapes the metrics with credentials of their own (role METRICS), which open nothing else: the
 * only way before was an admin's password, able to delete events and export every subscriber, stored in the
 * monitoring system's configuration.
 */
@SpringBootTest(classes = AdminSecurityTest.App.class)
@AutoConfigureMockMvc
class MetricsRoleTest {

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
        registry.add("agenda.security.users[0].username", () -> "prometheus");
        registry.add("agenda.security.users[0].password-hash", () -> "{bcrypt}" + bcrypt.encode("scrape-only"));
        registry.add("agenda.security.users[0].roles[0]", () -> "METRICS");
        registry.add("agenda.security.users[1].username", () -> "editor");
        registry.add("agenda.security.users[1].password-hash", () -> "{bcrypt}" + bcrypt.encode("s3cret-for-tests"));
    }

    @Autowired
    MockMvc mvc;

    @Test
    void metricsCredentialsReadTheMetricsAndNothingElse() throws Exception {
        String scraper = basic("prometheus", "scrape-only");
        mvc.perform(get("/actuator/prometheus").header("Authorization", scraper))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes")));
        mvc.perform(get("/actuator/metrics/jvm.memory.used").header("Authorization", scraper))
                .andExpect(status().isOk());

        mvc.perform(get("/admin/ping").header("Authorization", scraper)).andExpect(status().isForbidden());
        mvc.perform(post("/admin/imports").header("Authorization", scraper)).andExpect(status().isForbidden());
    }

    @Test
    void anAdminStillReadsTheMetrics() throws Exception {
        mvc.perform(get("/actuator/prometheus").header("Authorization", basic("editor", "s3cret-for-tests")))
                .andExpect(status().isOk());
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
