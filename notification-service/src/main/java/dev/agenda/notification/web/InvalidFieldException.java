package dev.agenda.notification.web;

/** A field of a request that is not acceptable as sent: answered 400 with that field in the problem's errors. */
public class InvalidFieldException extends RuntimeException {

    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
