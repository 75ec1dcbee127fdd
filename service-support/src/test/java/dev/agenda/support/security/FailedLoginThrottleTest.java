package dev.agenda.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

class FailedLoginThrottleTest {

    private static Authentication attempt(String password, String address) {
        UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.unauthenticated("editor",
                password);
        token.setDetails(new WebAuthenticationDetails(address, null));
        return token;
    }

    /** Accepts "right" and refuses anything else, counting the checks it makes. */
    private static final class Passwords implements AuthenticationProvider {
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public Authentication authenticate(Authentication authentication) {
            checks.incrementAndGet();
            if ("right".equals(authentication.getCredentials())) {
                return UsernamePasswordAuthenticationToken.authenticated("editor", null, List.of());
            }
            throw new BadCredentialsException("wrong");
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return true;
        }
    }

    @Test
    void guessesSentInParallelGetNoMoreChecksThanTheAllowance() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        CountDownLatch slowHash = new CountDownLatch(1);
        AuthenticationProvider slow = new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                checks.incrementAndGet();
                try {
                    slowHash.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new BadCredentialsException("wrong");
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return true;
            }
        };
        FailedLoginThrottle throttle = new FailedLoginThrottle(slow, 3, Duration.ofMinutes(1));
        ExecutorService guessers = Executors.newFixedThreadPool(20);
        AtomicInteger refused = new AtomicInteger();
        try {
            List<Future<?>> guesses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String guess = "guess-" + i;
                guesses.add(guessers.submit(() -> {
                    try {
                        throttle.authenticate(attempt(guess, "203.0.113.7"));
                    } catch (FailedLoginThrottle.TooManyFailedLogins tooMany) {
                        refused.incrementAndGet();
                    } catch (BadCredentialsException wrong) {
                        // a checked guess
                    }
                }));
            }
            // Every guess is either being checked (held by the slow hash) or already refused.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> checks.get() + refused.get() == 20);
            slowHash.countDown();
            for (Future<?> guess : guesses) {
                guess.get(10, TimeUnit.SECONDS);
            }
        } finally {
            slowHash.countDown();
            guessers.shutdownNow();
        }
        assertThat(checks.get()).isEqualTo(3);
        assertThat(refused.get()).isEqualTo(17);
    }

    @Test
    void rightPasswordsDoNotUseTheAllowanceUp() {
        Passwords passwords = new Passwords();
        FailedLoginThrottle throttle = new FailedLoginThrottle(passwords, 2, Duration.ofMinutes(1));
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.authenticate(attempt("right", "198.51.100.1")).isAuthenticated()).isTrue();
        }
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> throttle.authenticate(attempt("wrong", "198.51.100.1")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThatThrownBy(() -> throttle.authenticate(attempt("right", "198.51.100.1")))
                .isInstanceOfSatisfying(FailedLoginThrottle.TooManyFailedLogins.class,
                        tooMany -> assertThat(tooMany.retryAfter()).isPositive()
                                .isLessThanOrEqualTo(Duration.ofMinutes(1)));
        assertThat(passwords.checks.get()).isEqualTo(12);
    }

    @Test
    void anIpv6GuesserCannotChangeAddressWithinItsSlash64ForMoreGuesses() {
        Passwords passwords = new Passwords();
        FailedLoginThrottle throttle = new FailedLoginThrottle(passwords, 3, Duration.ofMinutes(1));
        for (int i = 1; i <= 3; i++) {
            String address = "2001:db8:1:2::" + Integer.toHexString(i * 4099);
            assertThatThrownBy(() -> throttle.authenticate(attempt("wrong", address)))
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThatThrownBy(() -> throttle.authenticate(attempt("wrong", "2001:db8:1:2:ffff::1")))
                .isInstanceOf(FailedLoginThrottle.TooManyFailedLogins.class);
        assertThat(throttle.authenticate(attempt("right", "2001:db8:1:3::1")).isAuthenticated()).isTrue();
    }

    @Test
    void anIpv6GuesserTakingANewSlash64ForEveryGuessIsBoundByItsSlash48() {
        Passwords passwords = new Passwords();
        FailedLoginThrottle throttle = new FailedLoginThrottle(passwords, 3, Duration.ofMinutes(1));
        int refused = 0;
        for (int i = 0; i < 200; i++) {
            try {
                throttle.authenticate(attempt("wrong", "2001:db8:9:" + Integer.toHexString(i) + "::1"));
            } catch (FailedLoginThrottle.TooManyFailedLogins tooMany) {
                refused++;
            } catch (BadCredentialsException wrong) {
                // a checked guess
            }
        }
        assertThat(passwords.checks.get()).isEqualTo(3 * 16);
        assertThat(refused).isEqualTo(200 - 3 * 16);
        // Another site is not held back, and a right password gives its check back to both allowances.
        assertThat(throttle.authenticate(attempt("right", "2001:db8:a::1")).isAuthenticated()).isTrue();
        assertThat(throttle.authenticate(attempt("right", "198.51.100.9")).isAuthenticated()).isTrue();
    }
}
