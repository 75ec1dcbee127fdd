package dev.agenda.notification.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.core.StreamReadFeature;

/**
 * {@code {"email": "a@x.org", …, "email": "b@x.org"}}: by default the last one silently wins; refused instead
 * (answered "is given more than once"), as the event-service does. Unknown fields are refused by
 * {@code spring.jackson.deserialization}.
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

    @Bean
    JsonMapperBuilderCustomizer noDuplicateFields() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }
}
