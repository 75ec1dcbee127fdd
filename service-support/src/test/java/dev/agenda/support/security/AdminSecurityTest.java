package dev.agenda.support.security;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Base64;

@SpringBootTest(classes = AdminSecurityTest.App.class, properties = {"agenda.security.public-paths=/public/**",
        "agenda.security.failed-logins.per-client=3"})
@AutoConfigureMockMvc
class AdminSecurityTest {

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        registry.add("agenda.security.users[0].username", () -> "editor");
        registry.add("agenda.security.users[0].password-hash",
                () -> "{bcrypt}" + new BCryptPasswordEncoder().encode("s3cret-for-tests"));
    }

    @Autowired
    MockMvc mvc;

    @Test
    void publicPathsNeedNoCredentials() throws Exception {
        mvc.perform(get("/public/ping")).andExpect(status().isOk());
    }

    @Test
    void everythingElseAnswers401AsProblemJsonWithoutCredentials() throws Exception {
        mvc.perform(get("/admin/ping"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string("WWW-Authenticate", "Basic realm=\"agenda\""))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.instance").value("/admin/ping"))
                .andExpect(jsonPath("$.type").value("about:blank"))
                .andExpect(jsonPath("$.title").value("Unauthorized"))
                .andExpect(jsonPath("$.properties").doesNotExist());
    }

    @Test
    void aConfiguredUserWithTheRightPasswordIsAdmitted() throws Exception {
        mvc.perform(get("/admin/ping").header("Authorization", basic("editor", "s3cret-for-tests")))
                .andExpect(status().isOk());
    }

    @Test
    void aWrongPasswordIsRejected() throws Exception {
        mvc.perform(get("/admin/ping").header("Authorization", basic("editor", "guess")))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void healthProbesArePublic() throws Exception {
        mvc.perform(get("/actuator/health/liveness")).andExpect(status().is(org.hamcrest.Matchers.not(401)));
    }

    @Test
    void prometheusMetricsAreThereForAnAdmin() throws Exception {
        mvc.perform(get("/actuator/prometheus").header("Authorization", basic("editor", "s3cret-for-tests")))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes")));
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
    }

    @Autowired
    org.springframework.context.ApplicationContext context;

    @Test
    void aTracerIsThereToCarryTraceContextThroughKafkaHeaders() {
        org.assertj.core.api.Assertions.assertThat(context.getBeanNamesForType(io.micrometer.tracing.Tracer.class))
                .isNotEmpty();
        org.assertj.core.api.Assertions.assertThat(context.getEnvironment()
                .getProperty("spring.kafka.listener.observation-enabled")).isEqualTo("true");
    }

    @Test
    void theDeadLetterTemplateLeavesBootsObservedTemplateInPlace() {
        // Injected by type, a KafkaTemplate must be Boot's (the service's serializers, trace headers), never the
        // dead-letter one.
        org.springframework.kafka.core.KafkaTemplate<?, ?> template = context
                .getBeanProvider(org.springframework.kafka.core.KafkaTemplate.class).getIfUnique();
        org.assertj.core.api.Assertions.assertThat(template).isSameAs(context.getBean("kafkaTemplate"));
        org.assertj.core.api.Assertions.assertThat(context.getBean("deadLetterTemplate")).isNotSameAs(template);
        org.assertj.core.api.Assertions.assertThat(
                org.springframework.test.util.ReflectionTestUtils.getField(template, "observationEnabled"))
                .isEqualTo(true);
        org.assertj.core.api.Assertions.assertThat(org.springframework.test.util.ReflectionTestUtils.getField(
                context.getBean("deadLetterTemplate"), "observationEnabled")).isEqualTo(true);
    }

    @Test
    void aBrowserRequestFromAnotherSiteCannotChangeAnythingWithTheAdminsRememberedCredentials() throws Exception {
        String admin = basic("editor", "s3cret-for-tests");
        for (String site : new String[] {"cross-site", "same-site"}) {
            mvc.perform(post("/admin/imports").header("Authorization", admin).header("Sec-Fetch-Site", site))
                    .andExpect(status().isForbidden())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        }
        // The admin's own pages (Swagger UI), a typed URL, and scripts or curl, which send no such header.
        mvc.perform(post("/admin/imports").header("Authorization", admin).header("Sec-Fetch-Site", "same-origin"))
                .andExpect(status().isOk());
        mvc.perform(post("/admin/imports").header("Authorization", admin).header("Sec-Fetch-Site", "none"))
                .andExpect(status().isOk());
        mvc.perform(post("/admin/imports").header("Authorization", admin)).andExpect(status().isOk());
        // Reading stays possible (the browser's CORS rules keep the answer from the other site).
        mvc.perform(get("/admin/ping").header("Authorization", admin).header("Sec-Fetch-Site", "cross-site"))
                .andExpect(status().isOk());
        // Public routes are meant to be called from the site, another origin.
        mvc.perform(post("/public/subscriptions").header("Sec-Fetch-Site", "cross-site")).andExpect(status().isOk());
    }

    @Test
    void overPlainHttpWhereBrowsersSendNoFetchMetadataTheOriginOfAnotherHostIsRefused() throws Exception {
        String admin = basic("editor", "s3cret-for-tests");
        // MockMvc's request is for http://localhost:80.
        for (String origin : new String[] {"http://evil.example", "http://localhost.evil.example", "null", "::"}) {
            mvc.perform(post("/admin/imports").header("Authorization", admin).header("Origin", origin))
                    .andExpect(status().isForbidden())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        }
        // Its own host, whatever scheme and port a proxy in front gives the browser.
        for (String origin : new String[] {"http://localhost", "https://LOCALHOST:8443", "http://localhost:8081"}) {
            mvc.perform(post("/admin/imports").header("Authorization", admin).header("Origin", origin))
                    .andExpect(status().isOk());
        }
        // Fetch metadata, when sent, is what the browser says.
        mvc.perform(post("/admin/imports").header("Authorization", admin).header("Origin", "http://evil.example")
                .header("Sec-Fetch-Site", "cross-site")).andExpect(status().isForbidden());
        mvc.perform(get("/admin/ping").header("Authorization", admin).header("Origin", "http://evil.example"))
                .andExpect(status().isOk());
        mvc.perform(post("/public/subscriptions").header("Origin", "http://evil.example")).andExpect(status().isOk());
    }

    @Test
    void aClientPastItsWrongPasswordsIsAnswered429EvenWithTheRightOneAndOthersAreNot() throws Exception {
        RequestPostProcessor guesser = from("203.0.113.7");
        for (int guess = 1; guess <= 3; guess++) {
            mvc.perform(get("/admin/ping").header("Authorization", basic("editor", "guess-" + guess)).with(guesser))
                    .andExpect(status().isUnauthorized());
        }
        mvc.perform(get("/admin/ping").header("Authorization", basic("editor", "guess-4")).with(guesser))
                .andExpect(status().isTooManyRequests())
                // The wait until the allowance refills, in whole seconds: at most the period (a minute).
                .andExpect(result -> org.assertj.core.api.Assertions.assertThat(
                        Integer.parseInt(result.getResponse().getHeader("Retry-After"))).isBetween(1, 60))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        // Not even the right password is checked for it now, so guessing cannot go on.
        mvc.perform(get("/admin/ping").header("Authorization", basic("editor", "s3cret-for-tests")).with(guesser))
                .andExpect(status().isTooManyRequests());
        mvc.perform(get("/admin/ping").header("Authorization", basic("editor", "s3cret-for-tests"))
                .with(from("203.0.113.8"))).andExpect(status().isOk());
    }

    private static RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }

    @SpringBootApplication
    @RestController
    static class App {
        @GetMapping("/public/ping")
        String publicPing() {
            return "pong";
        }

        @GetMapping("/admin/ping")
        String adminPing() {
            return "pong";
        }

        @PostMapping("/admin/imports")
        String adminImport() {
            return "imported";
        }

        @PostMapping("/public/subscriptions")
        String subscribe() {
            return "accepted";
        }
    }
}
