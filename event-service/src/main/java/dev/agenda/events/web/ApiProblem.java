package dev.agenda.events.web;

import org.springframework.http.HttpStatus;

/**
 * An error of the HTTP exchange itself (a missing or unknown If-Match), answered with its status as
 * {@code application/problem+json}; what the services refuse is a {@code RequestRefusedException}.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;

    public ApiProblem(HttpStatus status, String detail) {
        super(detail);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    public static ApiProblem preconditionFailed(String detail) {
        return new ApiProblem(HttpStatus.PRECONDITION_FAILED, detail);
    }

    public static ApiProblem preconditionRequired(String detail) {
        return new ApiProblem(HttpStatus.PRECONDITION_REQUIRED, detail);
    }
}
