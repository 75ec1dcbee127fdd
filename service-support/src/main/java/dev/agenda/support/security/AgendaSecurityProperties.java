package dev.agenda.support.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Admin security of a service.
 *
 * @param mode        BASIC (users below, bcrypt hashes) or JWT (OAuth2 resource server, see
 *                    {@code spring.security.oauth2.resourceserver.jwt.*})
 * @param users       users for BASIC mode (admins, or a Prometheus of role METRICS), besides the user {@code admin} of
 *                    {@code adminPassword}; with neither, a password is generated for {@code admin} and logged at
 *                    start-up (if generated secrets are allowed)
 * @param publicPaths Ant-style paths anyone may call (the rest needs an admin)
 * @param adminPaths  paths that need an admin even where a public path matches them too: a service whose public site
 *                    is every path ({@code /**}) keeps its API ({@code /api/**}) for admins. Actuator's paths other
 *                    than health and info always need an admin (or the metrics role for the metrics)
 * @param adminScope  JWT mode: the scope (or role) a token must carry to be an admin
 * @param adminPassword BASIC mode: the password of the user {@code admin} ({@code AGENDA_ADMIN_PASSWORD})
 * @param credentialCacheTtl BASIC mode: how long a successful password check is remembered (bcrypt is slow on
 *                    purpose, and Basic sends the password with every request)
 * @param failedLogins BASIC mode: how many wrong passwords a client may send
 * @param allowGeneratedSecrets whether a secret left unset may be generated at start-up and logged: the admin password
 *                    here, the notification-service's link token key. Convenient on a developer's machine; in a
 *                    deployment (docker-compose sets it to false) the password would sit in the logs an
 *                    aggregator keeps, and a key generated per start and per instance breaks every link of every email
 *                    at each restart and between instances, so the service refuses to start instead
 */
@ConfigurationProperties("agenda.security")
public record AgendaSecurityProperties(
        @DefaultValue("BASIC") Mode mode,
        @DefaultValue List<User> users,
        @DefaultValue List<String> publicPaths,
        @DefaultValue List<String> adminPaths,
        @DefaultValue("agenda.admin") String adminScope,
        String adminPassword,
        @DefaultValue("5m") Duration credentialCacheTtl,
        @DefaultValue FailedLogins failedLogins,
        @DefaultValue("true") boolean allowGeneratedSecrets) {

    public enum Mode { BASIC, JWT }

    /**
     * Wrong Basic passwords allowed per client address and period; past them the client gets 429 until the period
     * has refilled, without a password check (each costs a bcrypt hash).
     */
    public record FailedLogins(@DefaultValue("10") int perClient, @DefaultValue("1m") Duration period) {
    }

    /**
     * @param passwordHash {@code {bcrypt}$2a$...}, or a bare bcrypt hash
     */
    public record User(String username, String passwordHash, @DefaultValue("ADMIN") List<String> roles) {
    }
}
