package dev.agenda.notification.announcement;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.delivery.DeliveryOrder;
import dev.agenda.notification.delivery.DeliveryRequestPublisher;
import dev.agenda.notification.delivery.DeliveryStore;
import dev.agenda.notification.event.AnnouncementPolicy;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.EventState;
import dev.agenda.notification.event.EventStateStore;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.notification.subscription.SubscriberStore;
import jakarta.annotation.PostConstruct;

/**
 * Applies each new revision of an event: decides the notice (if any), records the decision, then fans it out as
 * one delivery order per recipient, page by page, saving a cursor after each page.
 *
 * <p>Order of writes, so a crash anywhere is recovered: (1) the announcement document (idempotent on its id),
 * (2) the event state (conditional on the revision), (3) the fan-out. A crash before (2) re-runs the same decision
 * on redelivery and finds (1) already there; a crash during (3) leaves an unfinished announcement that the periodic
 * resumer takes over once its lease has expired, from its cursor. Re-published orders are harmless: deliveries are
 * unique.
 */
@Service
public class AnnouncementService {

    private static final Logger log = LoggerFactory.getLogger(AnnouncementService.class);

    private final EventStateStore states;
    private final AnnouncementStore announcements;
    private final SubscriberStore subscribers;
    private final DeliveryStore deliveries;
    private final DeliveryRequestPublisher publisher;
    private final NotificationProperties.Fanout fanout;
    private final Clock clock;
    private final TaskScheduler scheduler;

    AnnouncementService(EventStateStore states, AnnouncementStore announcements, SubscriberStore subscribers,
            DeliveryStore deliveries, DeliveryRequestPublisher publisher, NotificationProperties properties,
            Clock clock, TaskScheduler scheduler) {
        this.states = states;
        this.announcements = announcements;
        this.subscribers = subscribers;
        this.deliveries = deliveries;
        this.publisher = publisher;
        this.fanout = properties.fanout();
        this.clock = clock;
        this.scheduler = scheduler;
    }

    @PostConstruct
    void scheduleResumer() {
        scheduler.scheduleWithFixedDelay(this::resumeUnfinished, fanout.resumeInterval());
    }

    public void apply(EventSnapshot next) {
        Instant now = clock.instant();
        EventState state = states.find(next.eventId()).orElse(null);
        if (state != null && (state.deleted() || next.revision() < state.snapshot().revision())) {
            return;
        }
        if (state != null && next.revision() == state.snapshot().revision()) {
            // A redelivery: the first delivery may have stopped (a crash) between writing the state and reopening
            // the announcements its cancellation had skipped. Reopening finds nothing the second time.
            if (!next.cancelled() && !next.isOverAt(now)) {
                reopenSkippedAnnouncements(next, now);
            }
            return;
        }
        Optional<NoticeKind> decision = AnnouncementPolicy.decide(state == null ? null : state.snapshot(),
                state != null && state.announced(), next, now);
        Announcement created = null;
        boolean owned = false;
        if (decision.isPresent()) {
            // Inserted already leased, so that the resumer leaves it to this thread.
            created = new Announcement(Announcement.idOf(next.eventId(), decision.get(), next.revision()),
                    next.eventId(), decision.get(), next.revision(), next, Announcement.Status.FANNING_OUT, null, 0,
                    now, now.plus(fanout.lease()), null);
            owned = announcements.insertIfAbsent(created);
        }
        boolean announced = (state != null && state.announced()) || decision.filter(NoticeKind.ANNOUNCEMENT::equals)
                .isPresent();
        if (!states.apply(next, announced, now)) {
            return;
        }
        if (state != null && state.snapshot().cancelled() && !next.cancelled() && !next.isOverAt(now)) {
            reopenSkippedAnnouncements(next, now);
        }
        if (created != null) {
            log.info("event {} revision {}: {}", next.eventId(), next.revision(), decision.get());
            if (owned) {
                fanOut(created);
            } else {
                fanOut(created.id());
            }
        }
    }

    /**
     * Back on: those whose announcement was skipped because of the cancellation get it now (a crash before the orders
     * leave is recovered by the sweep of deliveries left PENDING).
     */
    private void reopenSkippedAnnouncements(EventSnapshot next, Instant now) {
        List<DeliveryOrder> reopened = deliveries.reopenAnnouncementsSkippedTooLate(next.eventId(), now).stream()
                .map(d -> new DeliveryOrder(d.id(), d.eventId(), d.revision(), d.kind(), d.subscriberId()))
                .toList();
        if (!reopened.isEmpty()) {
            log.info("event {} revision {}: back on, {} skipped announcements sent again", next.eventId(),
                    next.revision(), reopened.size());
            publisher.publish(reopened);
        }
    }

    /**
     * A tombstone. An event deleted while announced and still to come is, for those who were told about it, cancelled:
     * they get a cancellation notice (and its {@code .ics} removes it from their calendars). Otherwise nothing is sent.
     */
    public void delete(String eventId) {
        Instant now = clock.instant();
        EventState state = states.find(eventId).orElse(null);
        if (state == null || state.deleted() || !state.announced() || state.snapshot().cancelled()
                || state.snapshot().isOverAt(now)) {
            states.markDeleted(eventId, now);
            return;
        }
        EventSnapshot withdrawn = state.snapshot().withdrawn(now);
        Announcement created = new Announcement(Announcement.idOf(eventId, NoticeKind.CANCELLATION,
                withdrawn.revision()), eventId, NoticeKind.CANCELLATION, withdrawn.revision(), withdrawn,
                Announcement.Status.FANNING_OUT, null, 0, now, now.plus(fanout.lease()), null);
        // Recorded before the state: a crash in between decides the same again on the redelivered tombstone.
        boolean owned = announcements.insertIfAbsent(created);
        states.markWithdrawn(withdrawn, now);
        log.info("event {} deleted while announced: {}", eventId, NoticeKind.CANCELLATION);
        if (owned) {
            fanOut(created);
        } else {
            fanOut(created.id());
        }
    }

    void resumeUnfinished() {
        try {
            for (String id : announcements.unfinished(clock.instant())) {
                log.info("resuming the fan-out of {}", id);
                fanOut(id);
            }
        } catch (RuntimeException e) {
            log.warn("resuming unfinished fan-outs failed, will try again: {}", e.toString());
        }
    }

    /** Publishes the remaining delivery orders of an announcement, if nobody else is doing it. */
    void fanOut(String id) {
        announcements.claim(id, clock.instant(), fanout.lease()).ifPresent(this::fanOut);
    }

    /** @param a an announcement whose lease the caller holds */
    private void fanOut(Announcement a) {
        String id = a.id();
        String cursor = a.cursor();
        try {
            while (true) {
                SubscriberStore.MatchingPage page = recipients(a, cursor);
                if (page.scannedTo() == null) {
                    announcements.finish(id, clock.instant());
                    log.info("{}: fan-out done", id);
                    return;
                }
                if (!page.ids().isEmpty()) {
                    publisher.publish(page.ids().stream()
                            .map(sid -> DeliveryOrder.of(a.eventId(), a.revision(), a.kind(), sid)).toList());
                }
                cursor = page.scannedTo();
                announcements.advance(id, cursor, page.ids().size(), clock.instant(), fanout.lease());
            }
        } catch (RuntimeException e) {
            // Let another run take over from the saved cursor without waiting for the lease to expire.
            announcements.release(id);
            throw e;
        }
    }

    private SubscriberStore.MatchingPage recipients(Announcement a, String cursor) {
        if (a.kind() == NoticeKind.ANNOUNCEMENT) {
            return subscribers.matchingPage(cursor, a.event().categories(), a.event().tags(),
                    a.event().publishedAt(), fanout.pageSize());
        }
        List<String> announced = deliveries.announcedSubscribers(a.eventId(), cursor, fanout.pageSize());
        // An erased subscriber's records stay, under a placeholder: nobody to tell, no record to add.
        return new SubscriberStore.MatchingPage(announced.stream().filter(id -> !DeliveryStore.isErased(id)).toList(),
                announced.isEmpty() ? null : announced.get(announced.size() - 1));
    }

    public List<Announcement> ofEvent(String eventId) {
        return announcements.ofEvent(eventId);
    }
}
