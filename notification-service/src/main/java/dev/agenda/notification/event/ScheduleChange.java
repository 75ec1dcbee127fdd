package dev.agenda.notification.event;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a reschedule notice tells its recipient changed: the event as their last email about it showed it, and
 * whether that email said it was cancelled.
 *
 * @param before the event's date and place as the recipient was last told them
 * @param backOn the last email the recipient received about it was its cancellation: the notice says it takes place
 *               after all
 */
public record ScheduleChange(EventSnapshot before, boolean backOn) {

    /** A notice decided for the event before this one, with the event as of its revision. */
    public record Earlier(NoticeKind kind, long revision, EventSnapshot event) {
    }

    /**
     * @param earlier      the notices decided before this one
     * @param lastNews     the one of them whose email the recipient received last
     * @param lastShowed   the revision of the event that email showed (an email leaves with the event as it is then,
     *                     which may be later than its decision)
     * @return the change, or empty when what the recipient was told is not known (decisions removed with an old
     *         delivery log)
     */
    public static Optional<ScheduleChange> since(List<Earlier> earlier, Earlier lastNews, long lastShowed) {
        // Date and place change only with a notice decided, so the latest announcement or reschedule up to the
        // revision an email showed has the date and place that email showed (a cancellation keeps the last ones).
        return earlier.stream().filter(e -> e.kind() != NoticeKind.CANCELLATION && e.revision() <= lastShowed)
                .max(Comparator.comparingLong(Earlier::revision))
                .map(e -> new ScheduleChange(e.event(), lastNews.kind() == NoticeKind.CANCELLATION));
    }

    /** @return whether {@code now} is at other times than {@link #before} */
    public boolean timesChanged(EventSnapshot now) {
        return now.timesDifferFrom(before);
    }

    /** @return whether {@code now} is at another place than {@link #before} */
    public boolean placeChanged(EventSnapshot now) {
        return now.placeDiffersFrom(before);
    }
}
