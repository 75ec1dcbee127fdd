package dev.agenda.events.domain;

import java.util.List;

/** The event breaks one or more rules; each one is listed. */
public class InvalidEventException extends RuntimeException {

    private final transient List<Violation> violations;

    public InvalidEventException(List<Violation> violations) {
        super(violations.size() + " invalid field(s): " + violations);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
