package dev.agenda.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Without admin credentials, a developer's machine gets a generated password (logged); a deployment that refuses
 * generated secrets (the docker profile) does not start, rather than write its admin password into its logs.
 */
class GeneratedSecretsTest {

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    private static AgendaSecurityProperties basic(String adminPassword, boolean allowGeneratedSecrets) {
        return new AgendaSecurityProperties(AgendaSecurityProperties.Mode.BASIC, List.of(), List.of(), List.of(), "agenda.admin",
                adminPassword, Duration.ofMinutes(5), new AgendaSecurityProperties.FailedLogins(10, Duration.ofMinutes(1)),
                allowGeneratedSecrets);
    }

    @Test
    void withoutAPasswordADeploymentRefusingGeneratedSecretsDoesNotStart() {
        for (String missing : new String[] {null, "", "  "}) {
            assertThatThrownBy(() -> new AgendaSecurityAutoConfiguration().agendaAdminUsers(basic(missing, false),
                    encoder))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("AGENDA_ADMIN_PASSWORD")
                    .hasMessageContaining("agenda.security.allow-generated-secrets");
        }
    }

    @Test
    void aConfiguredPasswordIsUsedWhateverTheSetting() {
        var users = new AgendaSecurityAutoConfiguration().agendaAdminUsers(basic("a-password-from-the-vault", false),
                encoder);

        assertThat(encoder.matches("a-password-from-the-vault", users.loadUserByUsername("admin").getPassword()))
                .isTrue();
    }

    @Test
    void onADevelopersMachineAPasswordIsGenerated() {
        var users = new AgendaSecurityAutoConfiguration().agendaAdminUsers(basic(null, true), encoder);

        assertThat(users.loadUserByUsername("admin").getPassword()).isNotBlank();
    }
}
