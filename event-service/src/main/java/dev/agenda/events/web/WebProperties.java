package dev.agenda.events.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP API.
 *
 * @param maxJsonBody       largest JSON request body (413 above)
 * @param maxUploadBody     largest multipart request (Jekyll import), also enforced by the multipart settings
 * @param idempotencyKeyTtl how long a stored Idempotency-Key response is replayed
 */
@ConfigurationProperties("agenda.events.web")
public record WebProperties(@DefaultValue("512KB") DataSize maxJsonBody, @DefaultValue("20MB") DataSize maxUploadBody,
        @DefaultValue("24h") java.time.Duration idempotencyKeyTtl) {
}
