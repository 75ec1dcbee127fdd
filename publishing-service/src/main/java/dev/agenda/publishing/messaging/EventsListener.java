package dev.agenda.publishing.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.agenda.publishing.site.SitePublisher;
import dev.agenda.schemas.EventPublished;

/**
 * Translates {@code agenda.events} records and hands them to the site. Failures go to service-support's error handler
 * (retries, then {@code agenda.events-dlt}); offsets are committed once a poll's records are applied (files and read
 * model written).
 */
@Component
class EventsListener {

    /** Container id; the consumer group is spring.kafka.consumer.group-id (agenda-publishing). */
    static final String ID = "agenda-publishing-events";

    private final SitePublisher publisher;

    EventsListener(SitePublisher publisher) {
        this.publisher = publisher;
    }

    @KafkaListener(id = EventsListener.ID, idIsGroup = false, topics = "#{T(dev.agenda.schemas.Topics).EVENTS.name()}")
    void onEvent(ConsumerRecord<String, EventPublished> record) {
        publisher.apply(EventMessages.toChange(record.key(), record.value(), record.timestamp()));
    }
}
