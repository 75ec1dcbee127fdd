package dev.agenda.support.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Counts wrong passwords per client address (the connection's, or the one a trusted proxy vouches for): past
 * {@code perClient} in a period, the client is answered 429 without a password check until its allowance refills.
 * Without it, anyone could guess passwords without limit, each guess costing the service a bcrypt hash, even on
 * public paths (Basic credentials are checked wherever they are sent). A right password does not count.
 */
final class FailedLoginThrottle implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(FailedLoginThrottle.class);
    /** Beyond this many clients with failures, the oldest allowances are forgotten (all at once: a flood). */
    static final int MAX_CLIENTS = 10_000;

    private final AuthenticationProvider delegate;
    private final int perClient;
    private final Duration period;
    private final Map<String, Bucket> failures = new ConcurrentHashMap<>();

    FailedLoginThrottle(AuthenticationProvider delegate, int perClient, Duration period) {
        this.delegate = delegate;
        this.perClient = perClient;
        this.period = period;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String client = authentication.getDetails() instanceof WebAuthenticationDetails details
                && details.getRemoteAddress() != null ? details.getRemoteAddress() : "unknown";
        Bucket allowance = failures.get(client);
        if (allowance != null && allowance.getAvailableTokens() <= 0) {
            throw new TooManyFailedLogins(period);
        }
        try {
            return delegate.authenticate(authentication);
        } catch (BadCredentialsException wrong) {
            if (!failures.computeIfAbsent(client, c -> newAllowance()).tryConsume(1)) {
                log.warn("Client {} sent more than {} wrong passwords in {}: refused until its allowance refills",
                        client, perClient, period);
            }
            throw wrong;
        }
    }

    private Bucket newAllowance() {
        if (failures.size() >= MAX_CLIENTS) {
            failures.clear();
        }
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(perClient)
                .refillGreedy(perClient, period).build()).build();
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }

    /** Answered 429 with Retry-After by {@link ProblemAuthenticationHandlers}. */
    static final class TooManyFailedLogins extends AuthenticationException {
        private final Duration retryAfter;

        TooManyFailedLogins(Duration retryAfter) {
            super("Too many wrong passwords from this client");
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }
}
