package dev.agenda.events.web;

import org.springframework.http.HttpStatus;

/** An error the API answers with its own status, as {@code application/problem+json}. */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;

    public ApiProblem(HttpStatus status, String detail) {
        super(detail);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(HttpStatus.NOT_FOUND, what + " does not exist.");
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, detail);
    }

    public static ApiProblem preconditionFailed(String detail) {
        return new ApiProblem(HttpStatus.PRECONDITION_FAILED, detail);
    }

    public static ApiProblem preconditionRequired(String detail) {
        return new ApiProblem(HttpStatus.PRECONDITION_REQUIRED, detail);
    }
}
