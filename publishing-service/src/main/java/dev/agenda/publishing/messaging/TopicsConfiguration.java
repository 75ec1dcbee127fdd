package dev.agenda.publishing.messaging;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.agenda.schemas.Topics;

/** The topics this service reads and dead-letters to; declaring them lets it start before the event-service has. */
@Configuration(proxyBeanMethods = false)
class TopicsConfiguration {

    @Bean
    NewTopic eventsTopic() {
        return Topics.EVENTS.toNewTopic();
    }

    @Bean
    NewTopic eventsDeadLetterTopic() {
        return Topics.EVENTS_DLT.toNewTopic();
    }
}
