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
 */
public class ObservabilityDefaults implements EnvironmentPostProcessor {

    static final String SOURCE = "agendaObservabilityDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(
                "management.endpoints.web.exposure.include", "health,info,metrics,prometheus",
                "management.endpoint.health.probes.enabled", "true",
                "management.tracing.sampling.probability", "1.0",
                "spring.kafka.template.observation-enabled", "true",
                "spring.kafka.listener.observation-enabled", "true")));
    }
}
