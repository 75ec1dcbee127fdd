package dev.agenda.notification.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.agenda.notification.announcement.AnnouncementService;
import dev.agenda.schemas.EventPublished;

/** agenda.events → announcements. The offset is committed once the record's fan-out is published. */
@Component
class EventsListener {

    static final String GROUP = "agenda-notification";

    private final AnnouncementService announcements;

    EventsListener(AnnouncementService announcements) {
        this.announcements = announcements;
    }

    @KafkaListener(id = "events", topics = "#{T(dev.agenda.schemas.Topics).EVENTS.name()}", groupId = "${agenda.notification.events-group:" + GROUP + "}")
    void onEvent(ConsumerRecord<String, EventPublished> record) {
        if (record.value() == null) {
            announcements.delete(record.key());
            return;
        }
        announcements.apply(EventMapper.toSnapshot(record.value()));
    }
}
