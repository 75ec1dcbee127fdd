package dev.agenda.notification.event;

/** Why a subscriber hears about an event. */
public enum NoticeKind {
    ANNOUNCEMENT,
    RESCHEDULE,
    CANCELLATION
}
