package dev.agenda.events.event;

import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import dev.agenda.events.support.Jwts;
import dev.agenda.events.web.IdempotencyStore;
import dev.agenda.support.security.AgendaSecurityAutoConfiguration;

/**
 * Production mode: an OAuth2 resource server. The decoder trusts a key generated for the test, standing for the
 * identity provider's JWKS ({@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri} in production).
 */
@WebMvcTest(EventController.class)
@ImportAutoConfiguration(AgendaSecurityAutoConfiguration.class)
@TestPropertySource(properties = {"agenda.security.mode=JWT",
        "spring.security.oauth2.resourceserver.jwt.audiences=agenda"})
class JwtModeWebTest {

    static final Jwts IDP = new Jwts();
    static final Jwts ATTACKER = new Jwts();

    @TestConfiguration
    static class TrustTheTestIdentityProvider {
        @Bean
        JwtDecoder jwtDecoder() {
            return NimbusJwtDecoder.withPublicKey(IDP.publicKey()).build();
        }
    }

    @Autowired
    MockMvc mvc;

    @MockitoBean
    EventService events;

    @MockitoBean
    IdempotencyStore idempotency;

    private org.springframework.test.web.servlet.ResultActions getWith(String token) throws Exception {
        given(events.get("e1")).willReturn(EventApiWebTest.sample(1));
        return mvc.perform(get("/api/events/e1").header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }

    @Test
    void aTokenWithTheAdminScopeOrRoleIsAnAdmin() throws Exception {
        Instant later = Instant.now().plusSeconds(300);
        getWith(IDP.token(later, Map.of("scope", "openid agenda.admin"))).andExpect(status().isOk());
        getWith(IDP.token(later, Map.of("roles", List.of("ADMIN")))).andExpect(status().isOk());
    }

    @Test
    void aValidTokenWithoutTheAdminScopeIs403() throws Exception {
        getWith(IDP.token(Instant.now().plusSeconds(300), Map.of("scope", "openid profile")))
                .andExpect(status().isForbidden());
    }

    @Test
    void forgedExpiredOrMissingTokensAre401() throws Exception {
        getWith(ATTACKER.token(Instant.now().plusSeconds(300), Map.of("scope", "agenda.admin")))
                .andExpect(status().isUnauthorized());
        getWith(IDP.token(Instant.now().minusSeconds(600), Map.of("scope", "agenda.admin")))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/events/e1")).andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE,
                        org.hamcrest.Matchers.startsWith("Bearer")));
    }
}
