package dev.agenda.events.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import dev.agenda.infra.LocalInfrastructure;

/**
 * The whole service against the real local Kafka broker, schema registry and MongoDB launcher. Every subclass shares
 * one Spring context (same configuration) and the one infrastructure of the JVM.
 */
@SpringBootTest(properties = "agenda.security.admin-password=" + InfrastructureTest.PASSWORD)
@AutoConfigureMockMvc
public abstract class InfrastructureTest {

    public static final String PASSWORD = "test-admin-password";
    public static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    @Autowired
    protected MockMvc mvc;

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        LocalInfrastructure.shared().springProperties().forEach((k, v) -> registry.add(k, () -> v));
    }
}
