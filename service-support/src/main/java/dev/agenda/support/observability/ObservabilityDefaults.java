package dev.agenda.support.observability;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * What every service exposes for operations, as defaults a service's own configuration can still override:
 * Prometheus metrics, health probes, and trace context carried through Kafka headers (observation on the template
 * and the listeners), so one publication can be followed across the three services' logs by its trace id.
 * {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs} (or logstash) switches the console to structured JSON.
 * <p>
 * Readiness includes MongoDB: every service needs its database for every request it serves (the event-service's
 * writes, the subscriptions, the site's read model), so while MongoDB is unreachable a probe must take the instance
 * out of traffic rather than let requests hang for the driver's 30 s. Kafka and SMTP stay out of it on purpose: the
 * outbox and the delivery retries are there so that the services keep serving through those outages. Liveness
 * depends on nothing outside the process (a restart would not bring the database back). The components and their
 * details are shown to admins only (anonymous callers get the status), so an operator sees which dependency is
 * down without reading logs.
 */
public class ObservabilityDefaults implements EnvironmentPostProcessor {

    static final String SOURCE = "agendaObservabilityDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(
                "management.endpoints.web.exposure.include", "health,info,metrics,prometheus",
                "management.endpoint.health.probes.enabled", "true",
                "management.endpoint.health.group.readiness.include", "readinessState,mongo",
                "management.endpoint.health.show-details", "when-authorized",
                "management.endpoint.health.roles", "ADMIN",
                "management.tracing.sampling.probability", "1.0",
                "spring.kafka.template.observation-enabled", "true",
                "spring.kafka.listener.observation-enabled", "true")));
    }
}
