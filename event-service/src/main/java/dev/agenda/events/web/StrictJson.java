package dev.agenda.events.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.module.SimpleModule;
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

    /**
     * {@code "startsAt": 1748174400} is not a date-time: Jackson's own reader takes a number (or a string of digits)
     * as epoch seconds, and ignores leniency settings for it, so an admin's mistake (or milliseconds read as seconds,
     * an event in the year 57 000) became a date. Only ISO-8601 text with an offset is a date-time here.
     */
    @Bean
    JsonMapperBuilderCustomizer isoDateTimesOnly() {
        return builder -> builder.addModule(new SimpleModule("iso-date-times-only")
                .addDeserializer(OffsetDateTime.class, new IsoOffsetDateTime()));
    }

    /** The message a field error gives for a date-time that is not one. */
    public static final String DATE_TIME_EXPECTED =
            "must be an ISO-8601 date-time with offset (2030-05-25T14:00:00+02:00)";

    static final class IsoOffsetDateTime extends StdDeserializer<OffsetDateTime> {

        IsoOffsetDateTime() {
            super(OffsetDateTime.class);
        }

        @Override
        public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctxt) {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (OffsetDateTime) ctxt.handleUnexpectedToken(OffsetDateTime.class, p);
            }
            String text = p.getString().strip();
            try {
                return OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                return (OffsetDateTime) ctxt.handleWeirdStringValue(OffsetDateTime.class, text, DATE_TIME_EXPECTED);
            }
        }
    }
}
