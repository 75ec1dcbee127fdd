package dev.agenda.events.web;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;

/**
 * Limits of the HTTP API, checked at start-up (a limit of 0 refused every request; a key TTL of 0 made MongoDB's TTL
 * index drop each key at once, so a retried request was applied twice).
 *
 * @param maxJsonBody       largest JSON request body (413 above)
 * @param maxUploadBody     largest multipart request (Jekyll import), also enforced by the multipart settings
 * @param idempotencyKeyTtl how long a stored Idempotency-Key response is replayed
 */
@Validated
@ConfigurationProperties("agenda.events.web")
public record WebProperties(@DefaultValue("512KB") DataSize maxJsonBody, @DefaultValue("20MB") DataSize maxUploadBody,
        @DefaultValue("24h") @DurationMin(seconds = 1) java.time.Duration idempotencyKeyTtl) {

    @AssertTrue(message = "max-json-body and max-upload-body must be positive sizes")
    public boolean isBodyLimitsPositive() {
        return maxJsonBody.toBytes() > 0 && maxUploadBody.toBytes() > 0;
    }
}
