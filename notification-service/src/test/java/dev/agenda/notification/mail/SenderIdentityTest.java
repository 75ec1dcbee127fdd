package dev.agenda.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.NotificationProperties;

/** A deployment that kept the local stack's sender settings is told at start, before its mail is refused. */
class SenderIdentityTest {

    private static NotificationProperties settings(String publicUrl, String from, String domain) {
        return new NotificationProperties(URI.create(publicUrl), URI.create("https://site.example"), List.of(), null,
                Duration.ofDays(7), Duration.ofHours(1),
                new NotificationProperties.Mail(from, "unsubscribe@" + domain, domain), null, null, null, null,
                new NotificationProperties.Bounces("bounces@" + domain, null));
    }

    @Test
    void theLocalDefaultsAreEachNamed() {
        List<String> warnings = SenderIdentity.warnings(
                settings("http://127.0.0.1:8082", "Agenda <agenda@agenda.localhost>", "agenda.localhost"));
        assertThat(warnings).hasSize(4);
        assertThat(warnings.get(0)).contains("AGENDA_MAIL_FROM").contains("agenda@agenda.localhost");
        assertThat(warnings.get(1)).contains("AGENDA_MAIL_DOMAIN");
        // The VERP envelope sender: SPF is checked on its domain.
        assertThat(warnings.get(2)).contains("AGENDA_BOUNCES_ADDRESS").contains("bounces@agenda.localhost");
        assertThat(warnings.get(3)).contains("AGENDA_NOTIFICATION_PUBLIC_URL").contains("https");
    }

    @Test
    void aPublicDomainAndAnHttpsLinkAreFine() {
        assertThat(SenderIdentity.warnings(settings("https://abonnements.agenda.gouv.fr",
                "Agenda du numérique <agenda@numerique.gouv.fr>", "numerique.gouv.fr"))).isEmpty();
    }

    @Test
    void reservedNamesAreRecognised() {
        for (String reserved : List.of("localhost", "agenda.localhost", "mail.test", "example.org", "a.example.com",
                "x.invalid", "printer.local", "intranet", "AGENDA.LOCALHOST.")) {
            assertThat(SenderIdentity.reserved(reserved)).as(reserved).isTrue();
        }
        for (String public_ : List.of("numerique.gouv.fr", "example-agency.org", "testing.fr", "local.gouv.fr")) {
            assertThat(SenderIdentity.reserved(public_)).as(public_).isFalse();
        }
    }
}
