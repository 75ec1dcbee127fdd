package dev.agenda.events.messaging;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Positive;

/**
 * The outbox relay. Checked at start-up: a batch size of 0 claimed nothing, so no event was ever published (only the
 * outbox age gauge said so), a poll interval of 0 spun a core, and a lease of 0 let every instance re-send what
 * another was sending.
 *
 * @param enabled      off only in tests that must not publish
 * @param pollInterval how often it looks for messages a crash or an outage left behind (it is also woken by writes)
 * @param lease        how long a claim protects messages from other instances; longer than a send can take
 * @param batchSize    events claimed per round
 */
@Validated
@ConfigurationProperties("agenda.events.relay")
public record RelayProperties(@DefaultValue("true") boolean enabled,
        @DefaultValue("500ms") @DurationMin(millis = 1) Duration pollInterval,
        @DefaultValue("30s") @DurationMin(seconds = 1) Duration lease,
        @DefaultValue("100") @Positive int batchSize) {
}
