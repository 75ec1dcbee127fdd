package dev.agenda.publishing.site;

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
 * A setting that cannot work stops the service at start-up, naming the property, instead of misbehaving later: a base
 * URL without its scheme wrote relative links into the feeds, the sitemap and the calendar files, silently.
 */
class SettingsCheckedAtStartTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({SiteProperties.class, AgendaSecurityProperties.class})
    static class Settings {
    }

    /** The service's own application.yml, as it starts. */
    private final ApplicationContextRunner service = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withUserConfiguration(Settings.class);

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8083", "https://agenda.example.org/",
            "https://www.example.gouv.fr/agenda-numerique"})
    void aBaseUrlOfASiteRootIsAccepted(String url) {
        service.withPropertyValues("agenda.site.base-url=" + url).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SiteProperties.class).baseUrl()).isEqualTo(url);
        });
    }

    @Test
    void theShippedSettingsAreAccepted() {
        service.run(context -> assertThat(context).hasNotFailed());
    }

    /** The health's disk space is that of the site's directory, where every change is written. */
    @Test
    void theDiskWatchedIsTheSites() {
        service.run(context -> assertThat(context.getEnvironment().getProperty("management.health.diskspace.path"))
                .isEqualTo(context.getEnvironment().getProperty("agenda.site.output-dir")).isEqualTo("data/site"));
        service.withSystemProperties("AGENDA_SITE_DIR=/srv/site").run(context -> assertThat(
                context.getEnvironment().getProperty("management.health.diskspace.path")).isEqualTo("/srv/site"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"agenda.site.base-url=agenda.example.org", "agenda.site.base-url=/agenda",
            "agenda.site.base-url=ftp://agenda.example.org", "agenda.site.base-url=https://agenda.example.org/?x=1",
            "agenda.site.base-url=", "agenda.site.page-size=0", "agenda.site.feed-size=-1",
            "agenda.site.listing-refresh=0", "agenda.site.title= "})
    void aSettingThatCannotWorkStopsTheStartNamingIt(String setting) {
        service.withPropertyValues(setting).run(context -> {
            assertThat(context).hasFailed();
            // Named as written in application.yml, or as the field it binds to.
            assertThat(StartupFailure.messages(context.getStartupFailure()))
                    .containsAnyOf(StartupFailure.namesOf(setting));
        });
    }
}
