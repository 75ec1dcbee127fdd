package dev.agenda.support.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * JWT mode starts only with an audience: without one, a token the identity provider issued for another of its
 * applications (whose admins carry an ADMIN role too) would be accepted here.
 */
class JwtAudienceRequiredTest {

    @Test
    void withoutAnAudienceTheStartStopsNamingTheSetting() {
        assertThatThrownBy(() -> AgendaSecurityAutoConfiguration.requireAudiences(new MockEnvironment()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("spring.security.oauth2.resourceserver.jwt.audiences")
                .hasMessageContaining("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES");
        assertThatThrownBy(() -> AgendaSecurityAutoConfiguration.requireAudiences(new MockEnvironment()
                .withProperty("spring.security.oauth2.resourceserver.jwt.audiences", " ")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anAudienceFromTheEnvironmentIsEnough() {
        assertThatCode(() -> AgendaSecurityAutoConfiguration.requireAudiences(new MockEnvironment()
                .withProperty("spring.security.oauth2.resourceserver.jwt.audiences", "agenda")))
                .doesNotThrowAnyException();
        assertThatCode(() -> AgendaSecurityAutoConfiguration.requireAudiences(new MockEnvironment()
                .withProperty("spring.security.oauth2.resourceserver.jwt.audiences[0]", "agenda")))
                .doesNotThrowAnyException();
    }
}
