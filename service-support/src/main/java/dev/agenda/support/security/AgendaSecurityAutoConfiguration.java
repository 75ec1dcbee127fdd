package dev.agenda.support.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.filter.CorsFilter;

import dev.agenda.support.web.ProblemResponses;

/**
 * Every route needs an admin, except the service's declared public paths and the health probes. BASIC mode checks
 * bcrypt hashes from configuration; JWT mode makes the service an OAuth2 resource server (production). Stateless:
 * no session, no CSRF token (no cookie-based authentication exists to forge).
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(AgendaSecurityProperties.class)
public class AgendaSecurityAutoConfiguration {

    static final String ADMIN_ROLE = "ADMIN";
    /** The user AGENDA_ADMIN_PASSWORD is the password of. */
    static final String ADMIN_USER = "admin";
    /**
     * The metrics endpoints' own role: a Prometheus server scraping every instance needs credentials, and they need
     * not be an admin's, able to delete events or export subscribers.
     */
    static final String METRICS_ROLE = "METRICS";
    private static final Logger log = LoggerFactory.getLogger(AgendaSecurityAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    SecurityFilterChain agendaSecurityFilterChain(HttpSecurity http, AgendaSecurityProperties properties,
            ObjectProvider<UserDetailsService> users, PasswordEncoder encoder, Environment environment)
            throws Exception {
        boolean jwt = properties.mode() == AgendaSecurityProperties.Mode.JWT;
        if (jwt) {
            requireAudiences(environment);
        }
        ProblemAuthenticationHandlers problems = new ProblemAuthenticationHandlers(
                jwt ? "Bearer" : "Basic realm=\"agenda\"");
        List<String> probes = List.of("/actuator/health", "/actuator/health/**", "/actuator/info", "/error");
        List<String> admin = new ArrayList<>(List.of("/actuator", "/actuator/**"));
        admin.addAll(properties.adminPaths());
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .cors(Customizer.withDefaults())
                .authorizeHttpRequests(auth -> {
                    auth.requestMatchers(probes.toArray(String[]::new)).permitAll()
                            .requestMatchers("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/**")
                            .hasAnyRole(ADMIN_ROLE, METRICS_ROLE)
                            // Before the public paths: a service whose public site is every path ("/**") keeps
                            // Actuator (its index lists what the service exposes) and its API for admins.
                            .requestMatchers(admin.toArray(String[]::new)).hasRole(ADMIN_ROLE);
                    if (!properties.publicPaths().isEmpty()) {
                        auth.requestMatchers(properties.publicPaths().toArray(String[]::new)).permitAll();
                    }
                    auth.anyRequest().hasRole(ADMIN_ROLE);
                })
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(new CrossSiteAdminRequestFilter(probes, admin, properties.publicPaths()),
                        CorsFilter.class);
        if (jwt) {
            http.oauth2ResourceServer(rs -> rs
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems)
                    .jwt(j -> j.jwtAuthenticationConverter(adminScopeConverter(properties.adminScope()))));
        } else {
            http.httpBasic(basic -> basic.authenticationEntryPoint(problems));
            http.authenticationManager(new ProviderManager(new FailedLoginThrottle(new CachingAuthenticationProvider(
                    daoProvider(users.getObject(), encoder), properties.credentialCacheTtl(), Clock.systemUTC()),
                    properties.failedLogins().perClient(), properties.failedLogins().period())));
        }
        return http.build();
    }

    static final String AUDIENCES = "spring.security.oauth2.resourceserver.jwt.audiences";

    /**
     * Without an audience, Spring checks a token's signature and expiry only: one the identity provider issued for
     * another of its applications, whose admins also carry an ADMIN role, would be an admin here.
     */
    static void requireAudiences(Environment environment) {
        List<String> audiences = Binder.get(environment).bind(AUDIENCES, Bindable.listOf(String.class))
                .orElse(List.of());
        if (audiences.stream().allMatch(String::isBlank)) {
            throw new IllegalStateException("agenda.security.mode=JWT needs " + AUDIENCES
                    + " (SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES): Agenda's audience at the identity "
                    + "provider, so that a token issued for another application is refused");
        }
    }

    private static DaoAuthenticationProvider daoProvider(UserDetailsService users, PasswordEncoder encoder) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(encoder);
        return provider;
    }

    /** A token carrying the admin scope (in {@code scope}/{@code scp}) or an ADMIN role (in {@code roles}) is an admin. */
    static Converter<Jwt, AbstractAuthenticationToken> adminScopeConverter(String adminScope) {
        JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
        return token -> {
            List<GrantedAuthority> authorities = new ArrayList<>(scopes.convert(token));
            if (authorities.stream().anyMatch(a -> a.getAuthority().equals("SCOPE_" + adminScope))) {
                authorities.add(new SimpleGrantedAuthority("ROLE_" + ADMIN_ROLE));
            }
            List<String> roles = token.getClaimAsStringList("roles");
            if (roles != null) {
                roles.forEach(r -> authorities.add(new SimpleGrantedAuthority("ROLE_" + r)));
            }
            return new JwtAuthenticationToken(token, authorities, token.getSubject());
        };
    }

    /**
     * A request the firewall refuses (an encoded slash, a {@code ;} or a {@code ..} in the path) is a 400 problem
     * document, as every other error of the services, not the framework's own error JSON.
     */
    @Bean
    @ConditionalOnMissingBean
    RequestRejectedHandler problemRequestRejectedHandler() {
        return (request, response, rejected) -> ProblemResponses.write(request, response, HttpStatus.BAD_REQUEST, "The request was refused: its method or address is "
                        + "not one this service accepts (such as an encoded slash, a ';', a '..' or a '//' in the path).");
    }

    @Bean
    @ConditionalOnMissingBean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    @ConditionalOnMissingBean(UserDetailsService.class)
    @ConditionalOnProperty(name = "agenda.security.mode", havingValue = "BASIC", matchIfMissing = true)
    InMemoryUserDetailsManager agendaAdminUsers(AgendaSecurityProperties properties, PasswordEncoder encoder) {
        List<UserDetails> users = new ArrayList<>();
        for (AgendaSecurityProperties.User user : properties.users()) {
            String hash = user.passwordHash();
            if (hash == null || hash.isBlank()) {
                throw new IllegalStateException("agenda.security.users: user '" + user.username()
                        + "' has no password-hash");
            }
            users.add(User.withUsername(user.username())
                    .password(hash.startsWith("{") ? hash : "{bcrypt}" + hash)
                    .roles(user.roles().toArray(String[]::new))
                    .build());
        }
        // AGENDA_ADMIN_PASSWORD is the shared admin's until named admins take over: it stays next to users given for
        // other needs (a Prometheus of role METRICS), and is off once a configured user is an admin, so that an
        // operator who named each admin (and must still give docker-compose a value) leaves no shared login behind.
        String password = properties.adminPassword();
        boolean passwordSet = password != null && !password.isBlank();
        List<String> namedAdmins = properties.users().stream().filter(user -> user.roles().contains(ADMIN_ROLE))
                .map(AgendaSecurityProperties.User::username).toList();
        if (passwordSet && !namedAdmins.isEmpty()) {
            log.warn("AGENDA_ADMIN_PASSWORD (agenda.security.admin-password) is not used: agenda.security.users names "
                    + "the admins ({}), so there is no shared '{}' login", String.join(", ", namedAdmins), ADMIN_USER);
            password = null;
            passwordSet = false;
        }
        if (passwordSet && users.stream().anyMatch(user -> user.getUsername().equals(ADMIN_USER))) {
            throw new IllegalStateException("agenda.security.users has a user '" + ADMIN_USER + "' and "
                    + "AGENDA_ADMIN_PASSWORD (agenda.security.admin-password) gives it another password: keep one.");
        }
        if (!passwordSet && users.isEmpty()) {
            if (!properties.allowGeneratedSecrets()) {
                throw new IllegalStateException("No admin credentials configured: set AGENDA_ADMIN_PASSWORD "
                        + "(agenda.security.admin-password), agenda.security.users, or agenda.security.mode=JWT. "
                        + "A generated password is refused because agenda.security.allow-generated-secrets is false "
                        + "(as docker-compose sets it): it would only be found in the logs.");
            }
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("No admin user configured (agenda.security.users, AGENDA_ADMIN_PASSWORD): generated "
                    + "password for user '{}': {}", ADMIN_USER, password);
            passwordSet = true;
        }
        if (passwordSet) {
            users.add(User.withUsername(ADMIN_USER).password(encoder.encode(password)).roles(ADMIN_ROLE).build());
        }
        return new InMemoryUserDetailsManager(users);
    }
}
