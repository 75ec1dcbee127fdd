package dev.agenda.events.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The outbox relay.
 *
 * @param enabled      off only in tests that must not publish
 * @param pollInterval how often it looks for messages a crash or an outage left behind (it is also woken by writes)
 * @param lease        how long a claim protects messages from other instances; longer than a send can take
 * @param batchSize    events claimed per round
 */
@ConfigurationProperties("agenda.events.relay")
public record RelayProperties(@DefaultValue("true") boolean enabled, @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("30s") Duration lease, @DefaultValue("100") int batchSize) {
}
