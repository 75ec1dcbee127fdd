package dev.agenda.support.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The structured log option operators switch on with {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs}: one JSON object
 * per line, with the trace id a log platform joins the three services' lines on.
 */
@SpringBootTest(classes = StructuredLoggingTest.App.class, properties = {
        "logging.structured.format.console=ecs", "logging.config=classpath:structured-logging-test.xml",
        "agenda.security.admin-password=not-used-here"})
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingTest {

    @Autowired
    Tracer tracer;

    @Test
    void everyConsoleLineIsAJsonObjectCarryingTheTraceId(CapturedOutput output) {
        Span span = tracer.nextSpan().name("structured-logging-test").start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            LoggerFactory.getLogger(StructuredLoggingTest.class).info("publication traced");
        } finally {
            span.end();
        }

        String line = output.getOut().lines().filter(l -> l.contains("publication traced")).findFirst().orElseThrow();
        JsonNode json = new JsonMapper().readTree(line);
        assertThat(json.path("message").asString()).isEqualTo("publication traced");
        assertThat(json.path("log").path("level").asString()).isEqualTo("INFO");
        assertThat(line).contains(span.context().traceId());
    }

    @SpringBootApplication
    static class App {
    }
}
