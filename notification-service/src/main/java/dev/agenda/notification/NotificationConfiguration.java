package dev.agenda.notification;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.agenda.notification.subscription.LinkTokens;

@Configuration(proxyBeanMethods = false)
class NotificationConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    LinkTokens linkTokens(NotificationProperties properties) {
        return new LinkTokens(properties.tokenKey());
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
