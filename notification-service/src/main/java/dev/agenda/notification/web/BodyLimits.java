package dev.agenda.notification.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;

/**
 * Bounds of request bodies. Nothing else bounds a JSON body: Jackson reads the whole of it before validation counts
 * its values, and the subscription endpoint is public.
 *
 * @param maxBody       any request but the CSV import (a subscription request is a few kilobytes at most)
 * @param maxImportBody the admin's CSV import of subscribers
 */
@Validated
@ConfigurationProperties("agenda.notification.web")
public record BodyLimits(@DefaultValue("64KB") DataSize maxBody, @DefaultValue("20MB") DataSize maxImportBody) {

    /** Checked at start-up: a limit of 0 would refuse every request, the public subscription form's included. */
    @AssertTrue(message = "max-body and max-import-body must be positive sizes")
    public boolean isBodyLimitsPositive() {
        return maxBody.toBytes() > 0 && maxImportBody.toBytes() > 0;
    }
}
