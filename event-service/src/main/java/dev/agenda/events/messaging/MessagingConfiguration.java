package dev.agenda.events.messaging;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.agenda.schemas.Topics;

/** The service owns {@code agenda.events}; its dead-letter topic is declared here too so it exists before consumers fail. */
@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

    @Bean
    NewTopic eventsTopic() {
        return Topics.EVENTS.toNewTopic();
    }

    @Bean
    NewTopic eventsDeadLetterTopic() {
        return Topics.EVENTS_DLT.toNewTopic();
    }
}
