package dev.agenda.support.mongo;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * A MongoDB that accepts connections but stops answering (a frozen process, a network partition after the connection
 * was made) held every request thread that used it for good: the driver waits for a server 30 s, but reads from a
 * socket without limit. With a read timeout the request fails as an outage ({@link DatabaseOutages}: a 503 with
 * Retry-After, a Kafka record retried), as when the database is down.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration")
@ConditionalOnClass(MongoClientSettingsBuilderCustomizer.class)
@EnableConfigurationProperties(MongoTimeoutsAutoConfiguration.MongoTimeouts.class)
public class MongoTimeoutsAutoConfiguration {

    /**
     * @param readTimeout how long the service waits for an answer from MongoDB on an open connection; longer than any
     *                    operation the services make (they are single-document writes and paged reads)
     */
    @ConfigurationProperties("agenda.mongo")
    public record MongoTimeouts(@DefaultValue("30s") Duration readTimeout) {
    }

    /** First, so that a {@code socketTimeoutMS} in the connection string, which Boot's customizer applies, wins. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    MongoClientSettingsBuilderCustomizer agendaMongoReadTimeout(MongoTimeouts timeouts) {
        return settings -> settings.applyToSocketSettings(socket -> socket
                .readTimeout(Math.toIntExact(timeouts.readTimeout().toMillis()), TimeUnit.MILLISECONDS));
    }
}
