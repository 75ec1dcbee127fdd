package dev.agenda.notification.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.agenda.support.web.BodyLimitFilter;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Every body up to {@code agenda.notification.web.max-body} but the admin's CSV import ({@code max-import-body}). The
 * subscription endpoint is public: a few concurrent anonymous requests of tens of megabytes used to fill the heap
 * and the service exited on OutOfMemoryError. Form posts are bounded by Tomcat itself
 * ({@code server.tomcat.max-http-form-post-size}, 2 MB).
 */
@Component
@Order(0)
@EnableConfigurationProperties(BodyLimits.class)
class SubscriptionBodyLimits extends BodyLimitFilter {

    static final String IMPORT_PATH = "/api/admin/subscribers/import";

    private final BodyLimits limits;

    SubscriptionBodyLimits(BodyLimits limits) {
        this.limits = limits;
    }

    @Override
    protected Limit limitOf(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return new Limit((path.equals(IMPORT_PATH) ? limits.maxImportBody() : limits.maxBody()).toBytes(), true);
    }
}
