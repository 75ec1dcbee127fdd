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
 * generated secrets (as docker-compose sets it) does not start, rather than write its admin password into its logs.
 * The shared {@code admin} of AGENDA_ADMIN_PASSWORD stays next to users of other roles, and is off once admins are
 * named.
 */
class GeneratedSecretsTest {

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    private static AgendaSecurityProperties basic(String adminPassword, boolean allowGeneratedSecrets) {
        return basic(List.of(), adminPassword, allowGeneratedSecrets);
    }

    private static AgendaSecurityProperties basic(List<AgendaSecurityProperties.User> users, String adminPassword,
            boolean allowGeneratedSecrets) {
        return new AgendaSecurityProperties(AgendaSecurityProperties.Mode.BASIC, users, List.of(), List.of(), "agenda.admin",
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
    void aMetricsUserComesBesidesTheAdminOfTheConfiguredPasswordNotInstead() {
        var prometheus = new AgendaSecurityProperties.User("prometheus", "{noop}scrape-only", List.of("METRICS"));
        var users = new AgendaSecurityAutoConfiguration().agendaAdminUsers(
                basic(List.of(prometheus), "a-password-from-the-vault", false), encoder);

        assertThat(encoder.matches("a-password-from-the-vault", users.loadUserByUsername("admin").getPassword()))
                .isTrue();
        assertThat(users.loadUserByUsername("admin").getAuthorities()).extracting(Object::toString)
                .containsExactly("ROLE_ADMIN");
        assertThat(users.loadUserByUsername("prometheus").getAuthorities()).extracting(Object::toString)
                .containsExactly("ROLE_METRICS");
        // Users alone are enough: nothing is generated for 'admin'.
        var only = new AgendaSecurityAutoConfiguration().agendaAdminUsers(basic(List.of(prometheus), null, true),
                encoder);
        assertThat(only.userExists("admin")).isFalse();
        // Two passwords for a non-admin 'admin' are a mistake to name, not one to pick silently.
        var admin = new AgendaSecurityProperties.User("admin", "{noop}another", List.of("METRICS"));
        assertThatThrownBy(() -> new AgendaSecurityAutoConfiguration().agendaAdminUsers(
                basic(List.of(admin), "a-password-from-the-vault", false), encoder))
                .hasMessageContaining("AGENDA_ADMIN_PASSWORD").hasMessageContaining("'admin'");
    }

    @Test
    void namedAdminsTurnTheSharedAdminOfTheConfiguredPasswordOff() {
        var alice = new AgendaSecurityProperties.User("alice", "{noop}alice-secret", List.of("ADMIN"));
        var prometheus = new AgendaSecurityProperties.User("prometheus", "{noop}scrape-only", List.of("METRICS"));
        // docker-compose asks for AGENDA_ADMIN_PASSWORD whatever the users: its value must not open a second door.
        var users = new AgendaSecurityAutoConfiguration().agendaAdminUsers(
                basic(List.of(alice, prometheus), "change-me", false), encoder);

        assertThat(users.userExists("admin")).isFalse();
        assertThat(users.loadUserByUsername("alice").getAuthorities()).extracting(Object::toString)
                .containsExactly("ROLE_ADMIN");
        assertThat(users.userExists("prometheus")).isTrue();
        // An 'admin' among the named admins keeps its own password, not the shared one.
        var admin = new AgendaSecurityProperties.User("admin", "{noop}its-own", List.of("ADMIN"));
        var named = new AgendaSecurityAutoConfiguration().agendaAdminUsers(
                basic(List.of(admin), "change-me", false), encoder);
        assertThat(encoder.matches("its-own", named.loadUserByUsername("admin").getPassword())).isTrue();
        assertThat(encoder.matches("change-me", named.loadUserByUsername("admin").getPassword())).isFalse();
    }

    @Test
    void onADevelopersMachineAPasswordIsGenerated() {
        var users = new AgendaSecurityAutoConfiguration().agendaAdminUsers(basic(null, true), encoder);

        assertThat(users.loadUserByUsername("admin").getPassword()).isNotBlank();
    }
}
