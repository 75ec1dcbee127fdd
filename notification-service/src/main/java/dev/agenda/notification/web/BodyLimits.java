package dev.agenda.notification.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bounds of request bodies. Nothing else bounds a JSON body: Jackson reads the whole of it before validation counts
 * its values, and the subscription endpoint is public.
 *
 * @param maxBody       any request but the CSV import (a subscription request is a few kilobytes at most)
 * @param maxImportBody the admin's CSV import of subscribers
 */
@ConfigurationProperties("agenda.notification.web")
public record BodyLimits(@DefaultValue("64KB") DataSize maxBody, @DefaultValue("20MB") DataSize maxImportBody) {
}
