package dev.agenda.support.security;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.agenda.support.web.ProblemResponses;

/**
 * 401 and 403 as {@code application/problem+json} (RFC 9457), like every other error of the APIs, and 429 for a client
 * past its wrong passwords ({@link FailedLoginThrottle}).
 */
final class ProblemAuthenticationHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final String challenge;

    ProblemAuthenticationHandlers(String challenge) {
        this.challenge = challenge;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (e instanceof FailedLoginThrottle.TooManyFailedLogins throttled) {
            // Whole seconds, rounded up: a client that waits exactly that long gets through.
            long nanos = throttled.retryAfter().toNanos();
            response.setHeader("Retry-After", Long.toString(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L)));
            ProblemResponses.write(request, response, HttpStatus.TOO_MANY_REQUESTS,
                    "Too many wrong passwords from this address; try again later.");
            return;
        }
        response.setHeader("WWW-Authenticate", challenge);
        ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, "Authentication is required to access this resource.");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        ProblemResponses.write(request, response, HttpStatus.FORBIDDEN, "You are not allowed to access this resource.");
    }
}
