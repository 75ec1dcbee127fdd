package dev.agenda.events.domain;

/**
 * A request the event service refuses for a reason other than a broken rule ({@link InvalidEventException}): the
 * event does not exist, conflicts with another, was changed meanwhile, or the request is too large. The API turns
 * each reason into its status; the services know no HTTP.
 */
public class RequestRefusedException extends RuntimeException {

    public enum Reason {
        NOT_FOUND,
        /** Conflicts with the state of the agenda: a slug taken or frozen, a draft cancelled. */
        CONFLICT,
        /** The event is no longer at the revision the request was made against. */
        STALE_REVISION,
        TOO_LARGE
    }

    private final Reason reason;

    public RequestRefusedException(Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static RequestRefusedException notFound(String what) {
        return new RequestRefusedException(Reason.NOT_FOUND, what + " does not exist.");
    }

    public static RequestRefusedException conflict(String detail) {
        return new RequestRefusedException(Reason.CONFLICT, detail);
    }

    public static RequestRefusedException stale(String detail) {
        return new RequestRefusedException(Reason.STALE_REVISION, detail);
    }

    public static RequestRefusedException tooLarge(String detail) {
        return new RequestRefusedException(Reason.TOO_LARGE, detail);
    }
}
