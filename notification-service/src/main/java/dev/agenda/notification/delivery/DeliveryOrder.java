package dev.agenda.notification.delivery;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.agenda.notification.event.NoticeKind;

/** One email to send to one subscriber about one event. */
public record DeliveryOrder(String deliveryId, String eventId, long revision, NoticeKind kind, String subscriberId) {

    public static DeliveryOrder of(String eventId, long revision, NoticeKind kind, String subscriberId) {
        return new DeliveryOrder(deliveryId(eventId, kind, subscriberId, noticeRevision(kind, revision)), eventId,
                revision, kind, subscriberId);
    }

    /**
     * An announcement happens once per event and subscriber whatever the revision that decided it. A cancellation or
     * a reschedule can happen several times (cancelled, back on, cancelled again), so the revision that decided it is
     * part of its identity: the same revision decided twice (a replay) still gives the same delivery.
     */
    public static long noticeRevision(NoticeKind kind, long revision) {
        return kind == NoticeKind.ANNOUNCEMENT ? 0 : revision;
    }

    /** Derived, not random: the same delivery decided twice (replay, resumed fan-out) has the same id. */
    public static String deliveryId(String eventId, NoticeKind kind, String subscriberId, long noticeRevision) {
        return UUID.nameUUIDFromBytes((eventId + "|" + kind + "|" + subscriberId + "|" + noticeRevision)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
