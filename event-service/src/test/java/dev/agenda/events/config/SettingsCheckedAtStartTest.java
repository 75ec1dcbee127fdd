package dev.agenda.events.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.agenda.events.messaging.RelayProperties;
import dev.agenda.events.web.WebProperties;
import dev.agenda.infra.testing.StartupFailure;
import dev.agenda.support.security.AgendaSecurityProperties;

/**
 * A setting that cannot work stops the service at start-up, naming the property, instead of misbehaving later: a relay
 * batch size of 0 published nothing, ever, while the service answered every write with success.
 */
class SettingsCheckedAtStartTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({RelayProperties.class, WebProperties.class, AgendaSecurityProperties.class})
    static class Settings {
    }

    /** The service's own application.yml, as it starts. */
    private final ApplicationContextRunner service = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withUserConfiguration(Settings.class);

    @Test
    void theShippedSettingsAreAccepted() {
        service.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(RelayProperties.class).batchSize()).isEqualTo(100);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"agenda.events.relay.batch-size=0", "agenda.events.relay.batch-size=-1",
            "agenda.events.relay.poll-interval=0", "agenda.events.relay.lease=0s",
            "agenda.events.relay.lease=-30s", "agenda.events.web.idempotency-key-ttl=0",
            "agenda.events.web.max-json-body=0", "agenda.events.web.max-upload-body=-1MB"})
    void aSettingThatCannotWorkStopsTheStartNamingIt(String setting) {
        service.withPropertyValues(setting).run(context -> {
            assertThat(context).hasFailed();
            // Named as written in application.yml, or as the field it binds to.
            assertThat(StartupFailure.messages(context.getStartupFailure()))
                    .containsAnyOf(StartupFailure.namesOf(setting));
        });
    }
}
