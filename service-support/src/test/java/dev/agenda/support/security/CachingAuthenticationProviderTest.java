package dev.agenda.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

class CachingAuthenticationProviderTest {

    private final AtomicInteger checks = new AtomicInteger();
    private final AuthenticationProvider slowCheck = new AuthenticationProvider() {
        @Override
        public Authentication authenticate(Authentication a) {
            checks.incrementAndGet();
            if (!"right".equals(a.getCredentials())) {
                throw new BadCredentialsException("bad");
            }
            return UsernamePasswordAuthenticationToken.authenticated(a.getName(), null,
                    List.of(new SimpleGrantedAuthority("ROLE_ADMIN")));
        }

        @Override
        public boolean supports(Class<?> type) {
            return true;
        }
    };
    private Instant now = Instant.parse("2026-11-28T12:00:00Z");

    private CachingAuthenticationProvider provider() {
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now;
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        return new CachingAuthenticationProvider(slowCheck, Duration.ofMinutes(5), clock);
    }

    private static Authentication login(String user, String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated(user, password);
    }

    @Test
    void aSuccessfulCheckIsRememberedForTheSameCredentials() {
        CachingAuthenticationProvider provider = provider();

        Authentication first = provider.authenticate(login("admin", "right"));
        Authentication second = provider.authenticate(login("admin", "right"));

        assertThat(second.isAuthenticated()).isTrue();
        assertThat(second.getAuthorities()).isEqualTo(first.getAuthorities());
        assertThat(checks).hasValue(1);
    }

    @Test
    void aWrongPasswordIsCheckedEveryTimeAndNeverAdmitted() {
        CachingAuthenticationProvider provider = provider();
        provider.authenticate(login("admin", "right"));

        assertThatThrownBy(() -> provider.authenticate(login("admin", "wrong"))).isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> provider.authenticate(login("admin", "wrong"))).isInstanceOf(BadCredentialsException.class);
        assertThat(checks).hasValue(3);
    }

    @Test
    void anotherUserWithTheSamePasswordIsCheckedAgain() {
        CachingAuthenticationProvider provider = provider();
        provider.authenticate(login("admin", "right"));
        provider.authenticate(login("editor", "right"));

        assertThat(checks).hasValue(2);
    }

    @Test
    void theMemoryExpires() {
        CachingAuthenticationProvider provider = provider();
        provider.authenticate(login("admin", "right"));
        now = now.plus(Duration.ofMinutes(6));

        provider.authenticate(login("admin", "right"));

        assertThat(checks).hasValue(2);
    }
}
