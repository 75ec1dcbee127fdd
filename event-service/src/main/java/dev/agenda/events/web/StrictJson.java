package dev.agenda.events.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * {@code "title": 123} is a client's mistake, not a title "123": Jackson converts scalars to text even with
 * {@code allow-coercion-of-scalars: false} (which covers numbers and booleans only), so text refuses them here. The
 * handler then answers a field error. Unknown fields are refused by {@code spring.jackson.deserialization}.
 */
@Configuration(proxyBeanMethods = false)
public class StrictJson {

    @Bean
    JsonMapperBuilderCustomizer noScalarToText() {
        return builder -> builder.withCoercionConfig(LogicalType.Textual, config -> config
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    /**
     * {@code {"startsAt": "…", …, "startsAt": "…"}} (two versions of a field pasted together) is a mistake too; by
     * default the last one silently wins, so an admin could publish the date they meant to replace.
     */
    @Bean
    JsonMapperBuilderCustomizer noDuplicateFields() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }
}
