package dev.agenda.notification.delivery;

import java.util.List;

import dev.agenda.notification.event.NoticeKind;
import dev.agenda.notification.event.ScheduleChange;

/** The notices (cancellations, reschedules) decided for an event, as the announcement fan-outs record them. */
public interface NoticeDecisions {

    /** A notice decided on a revision of an event. */
    record Decision(NoticeKind kind, long revision) {
    }

    /** The notices of {@code eventId} decided on a revision later than {@code revision}, oldest first. */
    List<Decision> after(String eventId, long revision);

    /** The notices of {@code eventId} decided on a revision earlier than {@code revision}, with the event as of each. */
    List<ScheduleChange.Earlier> before(String eventId, long revision);
}
