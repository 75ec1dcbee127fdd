package dev.agenda.support.security;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import dev.agenda.support.ratelimit.ClientBuckets;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Bounds the password checks per client address (the connection's, or the one a trusted proxy vouches for; an IPv6
 * client is its /64, and its /48 has {@link ClientBuckets#CLIENTS_PER_NETWORK} clients' allowances in all):
 * {@code perClient} checks a period. Each check takes a token before the password is compared,
 * and a right password gives it back, so only wrong ones use the allowance up; past it, the client is answered 429
 * without a password check until the period ends. Without it, anyone could guess passwords without limit, each guess
 * costing the service a bcrypt hash, even on public paths (Basic credentials are checked wherever they are sent).
 * Taking the token first is what holds against guesses sent in parallel: counting only failures, a hundred guesses in
 * flight all passed the check before the first one failed. A client may therefore have at most {@code perClient}
 * checks in flight at once.
 */
final class FailedLoginThrottle implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(FailedLoginThrottle.class);
    /** Clients whose allowance is remembered; past this, only those back to a full allowance make room. */
    static final int MAX_CLIENTS = 10_000;

    private final AuthenticationProvider delegate;
    private final int perClient;
    private final Duration period;
    private final ClientBuckets allowances;
    private final ClientBuckets networks;

    FailedLoginThrottle(AuthenticationProvider delegate, int perClient, Duration period) {
        this.delegate = delegate;
        this.perClient = perClient;
        this.period = period;
        this.allowances = new ClientBuckets(perClient, period, MAX_CLIENTS);
        this.networks = new ClientBuckets(perClient * ClientBuckets.CLIENTS_PER_NETWORK, period, MAX_CLIENTS);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String ip = authentication.getDetails() instanceof WebAuthenticationDetails details
                && details.getRemoteAddress() != null ? details.getRemoteAddress() : "unknown";
        String client = ClientBuckets.clientKey(ip);
        String network = ClientBuckets.networkKey(ip);
        // The network's allowance first (IPv6: a script can take a new /64 for every guess, not a new /48).
        Bucket networkAllowance = network == null ? null : take(networks, network);
        Bucket allowance;
        try {
            allowance = take(allowances, client);
        } catch (TooManyFailedLogins refused) {
            giveBack(networkAllowance);
            throw refused;
        }
        Authentication authenticated;
        try {
            authenticated = delegate.authenticate(authentication);
        } catch (BadCredentialsException wrong) {
            if (allowance.getAvailableTokens() == 0) {
                log.warn("Client {} sent {} wrong passwords within {}: refused until its allowance refills", client,
                        perClient, period);
            }
            throw wrong;
        }
        giveBack(allowance);
        giveBack(networkAllowance);
        return authenticated;
    }

    /** Takes a check from the key's allowance, or refuses the request until it refills. */
    private Bucket take(ClientBuckets buckets, String key) {
        Bucket allowance = buckets.bucket(key);
        if (allowance == null) {
            throw new TooManyFailedLogins(period);
        }
        ConsumptionProbe check = allowance.tryConsumeAndReturnRemaining(1);
        if (!check.isConsumed()) {
            throw new TooManyFailedLogins(Duration.ofNanos(check.getNanosToWaitForRefill()));
        }
        return allowance;
    }

    private static void giveBack(Bucket allowance) {
        if (allowance != null) {
            allowance.addTokens(1);
        }
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
