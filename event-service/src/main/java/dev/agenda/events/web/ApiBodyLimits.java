package dev.agenda.events.web;

import java.util.Locale;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.agenda.support.web.BodyLimitFilter;
import jakarta.servlet.http.HttpServletRequest;

/**
 * JSON bodies up to {@code agenda.events.web.max-json-body}; multipart uploads (the Jekyll import) up to
 * {@code max-upload-body}, which the container's multipart settings also enforce while it parses them.
 */
@Component
@Order(0)
@EnableConfigurationProperties(WebProperties.class)
class ApiBodyLimits extends BodyLimitFilter {

    private final WebProperties properties;

    ApiBodyLimits(WebProperties properties) {
        this.properties = properties;
    }

    @Override
    protected Limit limitOf(HttpServletRequest request) {
        String type = request.getContentType();
        boolean multipart = type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
        return multipart ? new Limit(properties.maxUploadBody().toBytes(), false)
                : new Limit(properties.maxJsonBody().toBytes(), true);
    }
}
