package dev.agenda.notification.announcement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.delivery.DeliveryStore;
import dev.agenda.notification.event.EventStateStore;

/**
 * Removes the delivery log of events over for longer than {@code agenda.notification.delivery-log-retention}: one
 * delivery record per email and per person, kept for ever, made the collection grow with every announcement
 * (subscribers × events, a million records a year for a few thousand subscribers). Once an event is over nothing is
 * sent about it any more (a notice held up past its end is skipped), so its records only serve the admin's delivery
 * log. The event's state is kept: a replay of the events topic still finds it applied and decides nothing again.
 */
@Component
class DeliveryLogRetention {

    private static final Logger log = LoggerFactory.getLogger(DeliveryLogRetention.class);
    /** Events per removal, so that one query's list of ids stays small whatever the backlog. */
    private static final int EVENTS_PER_ROUND = 200;

    private final EventStateStore events;
    private final DeliveryStore deliveries;
    private final AnnouncementStore announcements;
    private final Duration retention;
    private final Clock clock;

    DeliveryLogRetention(EventStateStore events, DeliveryStore deliveries, AnnouncementStore announcements,
            NotificationProperties properties, Clock clock, TaskScheduler scheduler) {
        this.events = events;
        this.deliveries = deliveries;
        this.announcements = announcements;
        this.retention = properties.deliveryLogRetention();
        this.clock = clock;
        scheduler.scheduleWithFixedDelay(this::purgeOnSchedule, properties.purgeInterval());
    }

    /** Removes the deliveries and announcements of the events over before {@code now} minus the retention. */
    Removed purge(Instant now) {
        List<String> over = events.overBefore(now.minus(retention));
        long removedDeliveries = 0;
        long removedAnnouncements = 0;
        for (int from = 0; from < over.size(); from += EVENTS_PER_ROUND) {
            List<String> round = over.subList(from, Math.min(over.size(), from + EVENTS_PER_ROUND));
            removedDeliveries += deliveries.removeOfEvents(round);
            removedAnnouncements += announcements.removeOfEvents(round);
        }
        if (removedDeliveries > 0 || removedAnnouncements > 0) {
            log.info("removed {} delivery records and {} announcements of events over for more than {}",
                    removedDeliveries, removedAnnouncements, retention);
        }
        return new Removed(removedDeliveries, removedAnnouncements);
    }

    private void purgeOnSchedule() {
        try {
            purge(clock.instant());
        } catch (RuntimeException e) {
            log.warn("removing delivery logs past their retention failed, will try again: {}", e.toString());
        }
    }

    record Removed(long deliveries, long announcements) {
    }
}
