package dev.agenda.notification.subscription;

/**
 * A value sent by a subscriber or an admin that cannot be kept as it is: the API answers 400, naming the field when
 * there is one (an address, a preference), else the request as a whole (a CSV without a header line). Only this is a
 * client's mistake: any other {@link IllegalArgumentException} reaching the API is the service's, a 500.
 */
public class InvalidValueException extends IllegalArgumentException {

    private final String field;

    public InvalidValueException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field at fault, or null when it is the request as a whole. */
    public String field() {
        return field;
    }
}
