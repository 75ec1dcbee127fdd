package dev.agenda.notification;

import java.time.Clock;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.agenda.notification.subscription.LinkTokens;
import dev.agenda.support.security.AgendaSecurityProperties;

@Configuration(proxyBeanMethods = false)
class NotificationConfiguration {

    /** The local stack's GreenMail password of the unsubscribe mailbox, application.yml's default. */
    static final String LOCAL_MAILBOX_PASSWORD = "agenda-local";

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * A key generated at start-up is one per start and per instance: every link of every email sent before a restart,
     * or by another instance, is refused. A deployment that refuses generated secrets (as docker-compose sets it) does
     * not start without one.
     */
    @Bean
    LinkTokens linkTokens(NotificationProperties properties, AgendaSecurityProperties security) {
        String key = properties.tokenKey();
        if ((key == null || key.isBlank()) && !security.allowGeneratedSecrets()) {
            throw new IllegalStateException("agenda.notification.token-key is not set: set AGENDA_TOKEN_KEY (at least "
                    + "32 characters, e.g. openssl rand -base64 32). A generated key is refused because "
                    + "agenda.security.allow-generated-secrets is false (as docker-compose sets it).");
        }
        return new LinkTokens(key);
    }

    /**
     * The unsubscribe mailbox's shipped password is the local GreenMail's, public in this repository: a deployment that
     * refuses generated secrets (as docker-compose sets it) does not start reading a mailbox with it, or with none,
     * rather than log in with a password anyone can read.
     */
    @Bean
    InitializingBean mailboxPasswordsChecked(NotificationProperties properties, AgendaSecurityProperties security) {
        return () -> {
            NotificationProperties.Mailbox mailbox = properties.unsubscribeMailbox();
            if (security.allowGeneratedSecrets() || mailbox == null || !mailbox.enabled()) {
                return;
            }
            String password = mailbox.password();
            if (password == null || password.isBlank() || password.equals(LOCAL_MAILBOX_PASSWORD)) {
                throw new IllegalStateException("agenda.notification.unsubscribe-mailbox.password is "
                        + (password == null || password.isBlank() ? "not set" : "the local mail server's")
                        + ": set AGENDA_UNSUBSCRIBE_MAILBOX_PASSWORD, or AGENDA_UNSUBSCRIBE_MAILBOX_ENABLED=false. "
                        + "agenda.security.allow-generated-secrets is false (as docker-compose sets it).");
            }
        };
    }

    /** Only the subscription form of the site may call this service from a browser. */
    @Bean
    WebMvcConfigurer subscriptionCors(NotificationProperties properties) {
        return new WebMvcConfigurer() {
            @Override
            public void addCorsMappings(CorsRegistry registry) {
                registry.addMapping("/api/subscriptions")
                        .allowedOrigins(properties.corsOrigins().toArray(String[]::new))
                        .allowedMethods("POST")
                        .allowedHeaders("Content-Type")
                        .maxAge(3600);
            }
        };
    }
}
