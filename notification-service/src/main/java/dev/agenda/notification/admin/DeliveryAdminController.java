package dev.agenda.notification.admin;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.agenda.notification.announcement.Announcement;
import dev.agenda.notification.announcement.AnnouncementService;
import dev.agenda.notification.delivery.Delivery;
import dev.agenda.notification.delivery.DeliveryService;
import dev.agenda.notification.delivery.DeliveryStatus;

/** What was sent about an event, and a second chance for what failed. */
@RestController
@RequestMapping("/api/admin/events/{eventId}")
class DeliveryAdminController {

    private final DeliveryService deliveries;
    private final AnnouncementService announcements;

    DeliveryAdminController(DeliveryService deliveries, AnnouncementService announcements) {
        this.deliveries = deliveries;
        this.announcements = announcements;
    }

    /**
     * One delivery record per recipient and notice: an event announced to 100,000 people has 100,000, so the list is
     * paged like the subscribers'; {@code byStatus} counts all of the event's records, whatever the filter.
     */
    record Page(List<Delivery> items, long total, int page, int size, Map<DeliveryStatus, Long> byStatus) {
    }

    @GetMapping("/deliveries")
    Page deliveries(@PathVariable String eventId, @RequestParam(required = false) DeliveryStatus status,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "100") int size) {
        int bounded = Math.max(1, Math.min(size, 1000));
        int p = Math.max(0, AdminPaging.page(page));
        var found = deliveries.ofEvent(eventId, status, p, bounded);
        return new Page(found.items(), found.total(), p, bounded, deliveries.countsOf(eventId));
    }

    @GetMapping("/announcements")
    List<Announcement> announcements(@PathVariable String eventId) {
        return announcements.ofEvent(eventId);
    }

    /** Only FAILED deliveries are retried; SENT ones are never sent again. */
    @PostMapping("/deliveries/retry-failed")
    Map<String, Integer> retryFailed(@PathVariable String eventId) {
        return Map.of("requeued", deliveries.retryFailed(eventId));
    }
}
