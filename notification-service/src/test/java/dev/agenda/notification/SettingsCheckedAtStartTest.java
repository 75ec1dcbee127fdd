package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.agenda.infra.testing.StartupFailure;
import dev.agenda.support.security.AgendaSecurityProperties;

/**
 * A setting that cannot work stops the service at start-up, naming the property, instead of misbehaving later: a
 * public-base-url without its scheme put relative links, which no mail client follows, into every email sent.
 */
class SettingsCheckedAtStartTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({NotificationProperties.class, AgendaSecurityProperties.class,
            dev.agenda.notification.web.BodyLimits.class, dev.agenda.support.kafka.AgendaKafkaProperties.class})
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
            assertThat(context.getBean(NotificationProperties.class).fanout().pageSize()).isEqualTo(500);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://agenda.example.org", "https://www.example.gouv.fr/notifications/",
            "http://127.0.0.1:8082"})
    void anAbsoluteUrlIsAccepted(String url) {
        service.withPropertyValues("agenda.notification.public-base-url=" + url,
                "agenda.notification.site-base-url=" + url).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void withoutATokenKeyADeploymentRefusingGeneratedSecretsDoesNotStart() {
        ApplicationContextRunner withTokens = service.withUserConfiguration(NotificationConfiguration.class)
                .withPropertyValues("agenda.notification.token-key=");

        withTokens.withPropertyValues("agenda.security.allow-generated-secrets=false").run(context -> {
            assertThat(context).hasFailed();
            assertThat(StartupFailure.messages(context.getStartupFailure())).contains("AGENDA_TOKEN_KEY");
        });
        withTokens.run(context -> assertThat(context).hasNotFailed()
                .hasSingleBean(dev.agenda.notification.subscription.LinkTokens.class));
    }

    @Test
    void aDeploymentRefusingGeneratedSecretsDoesNotReadTheUnsubscribeMailboxWithTheLocalPassword() {
        ApplicationContextRunner deployed = service.withUserConfiguration(NotificationConfiguration.class)
                .withPropertyValues("agenda.notification.token-key=0123456789abcdef0123456789abcdef",
                        "agenda.security.allow-generated-secrets=false");

        for (String password : new String[] {"agenda-local", ""}) {
            deployed.withPropertyValues("agenda.notification.unsubscribe-mailbox.password=" + password).run(context -> {
                assertThat(context).hasFailed();
                assertThat(StartupFailure.messages(context.getStartupFailure()))
                        .contains("AGENDA_UNSUBSCRIBE_MAILBOX_PASSWORD");
            });
        }
        deployed.withPropertyValues("agenda.notification.unsubscribe-mailbox.password=a-real-one")
                .run(context -> assertThat(context).hasNotFailed());
        deployed.withPropertyValues("agenda.notification.unsubscribe-mailbox.enabled=false")
                .run(context -> assertThat(context).hasNotFailed());
        // The local stack: its GreenMail, its password.
        service.withUserConfiguration(NotificationConfiguration.class)
                .run(context -> assertThat(context).hasNotFailed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"agenda.notification.public-base-url=agenda.example.org",
            "agenda.notification.public-base-url=/notifications",
            "agenda.notification.public-base-url=mailto:agenda@example.org",
            "agenda.notification.site-base-url=www.example.gouv.fr/agenda",
            "agenda.notification.site-base-url=https://www.example.gouv.fr/?utm=mail",
            "agenda.notification.confirmation-expiry=0", "agenda.notification.purge-interval=-1h",
            "agenda.notification.smtp.concurrency=0", "agenda.notification.smtp.rate-per-second=-10",
            "agenda.notification.smtp.initial-backoff=0", "agenda.notification.smtp.give-up-after=0",
            "agenda.notification.smtp.lease=0", "agenda.notification.smtp.sweep-interval=0",
            "agenda.notification.fanout.page-size=0", "agenda.notification.fanout.resume-interval=0",
            "agenda.notification.rate-limit.per-address=0", "agenda.notification.rate-limit.per-client-period=0",
            "agenda.notification.unsubscribe-mailbox.port=0", "agenda.notification.unsubscribe-mailbox.max-per-poll=0",
            "agenda.notification.unsubscribe-mailbox.poll-interval=0",
            "agenda.notification.delivery-log-retention=7d",
            "agenda.notification.web.max-body=0", "agenda.notification.web.max-import-body=0",
            "agenda.kafka.retry.max-attempts=0", "agenda.kafka.retry.multiplier=0.5",
            "agenda.kafka.retry.initial-interval=0", "agenda.kafka.retry.max-interval=10ms"})
    void aSettingThatCannotWorkStopsTheStartNamingIt(String setting) {
        service.withPropertyValues(setting).run(context -> {
            assertThat(context).hasFailed();
            // Named as written in application.yml, or as the field it binds to.
            assertThat(StartupFailure.messages(context.getStartupFailure()))
                    .containsAnyOf(StartupFailure.namesOf(setting));
        });
    }
}
