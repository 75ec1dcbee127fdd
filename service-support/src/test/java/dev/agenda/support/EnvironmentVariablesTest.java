package dev.agenda.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import dev.agenda.support.security.AgendaSecurityProperties;

/**
 * The environment variables the README gives an operator (docker-compose, Kubernetes) reach the settings they name:
 * a deployment has no other way to set them.
 */
class EnvironmentVariablesTest {

    /** Binds as Boot does from the process environment (a source named like it, so the same name mapping applies). */
    private static <T> T bind(Map<String, Object> variables, String prefix, Class<T> type) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                "test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        ConfigurationPropertySources.attach(environment);
        return Binder.get(environment).bindOrCreate(prefix, type);
    }

    private static AgendaSecurityProperties bind(Map<String, Object> variables) {
        return bind(variables, "agenda.security", AgendaSecurityProperties.class);
    }

    @Test
    void theKafkaClientSettingsOfTheComposeFileAndTheReadmeReachTheClients() {
        KafkaProperties kafka = bind(Map.of(
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", "broker1:9092,broker2:9092",
                "SPRING_KAFKA_PROPERTIES_SCHEMA_REGISTRY_URL", "http://schema-registry:8081",
                "SPRING_KAFKA_PROPERTIES_BASIC_AUTH_CREDENTIALS_SOURCE", "USER_INFO",
                "SPRING_KAFKA_PROPERTIES_BASIC_AUTH_USER_INFO", "user:secret",
                "SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_SSL"), "spring.kafka", KafkaProperties.class);

        assertThat(kafka.getBootstrapServers()).containsExactly("broker1:9092", "broker2:9092");
        assertThat(kafka.getProperties()).containsEntry("schema.registry.url", "http://schema-registry:8081")
                .containsEntry("basic.auth.credentials.source", "USER_INFO")
                .containsEntry("basic.auth.user.info", "user:secret")
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void theReadmesVariablesBind() {
        AgendaSecurityProperties settings = bind(Map.of(
                "AGENDA_SECURITY_MODE", "JWT",
                "AGENDA_SECURITY_USERS_0_USERNAME", "alice",
                "AGENDA_SECURITY_USERS_0_PASSWORD_HASH", "{bcrypt}$2a$10$abc",
                "AGENDA_SECURITY_FAILED_LOGINS_PER_CLIENT", "5",
                "AGENDA_SECURITY_FAILED_LOGINS_PERIOD", "2m",
                "AGENDA_SECURITY_ALLOW_GENERATED_SECRETS", "false"));

        assertThat(settings.mode()).isEqualTo(AgendaSecurityProperties.Mode.JWT);
        assertThat(settings.users()).singleElement().satisfies(user -> {
            assertThat(user.username()).isEqualTo("alice");
            assertThat(user.passwordHash()).isEqualTo("{bcrypt}$2a$10$abc");
        });
        assertThat(settings.failedLogins().perClient()).isEqualTo(5);
        assertThat(settings.failedLogins().period()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.allowGeneratedSecrets()).isFalse();
    }
}
