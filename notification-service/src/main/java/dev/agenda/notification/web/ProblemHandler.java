package dev.agenda.notification.web;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

import dev.agenda.notification.subscription.InvalidValueException;
import dev.agenda.support.web.FieldProblemExceptionHandler;
import dev.agenda.support.web.FieldProblems;
import dev.agenda.support.web.FieldProblems.FieldProblem;

/**
 * Every API error as application/problem+json (RFC 9457). A request whose fields are wrong gets an {@code errors}
 * list of {@code {field, message}}, one per invalid field, the shape the event-service answers with. These errors
 * only ever describe the request as sent, never a subscriber's state: nothing here tells a known address.
 */
@RestControllerAdvice
class ProblemHandler extends FieldProblemExceptionHandler {

    @ExceptionHandler(InvalidValueException.class)
    ResponseEntity<Object> invalidValue(InvalidValueException e, WebRequest request) {
        if (e.field() != null) {
            return FieldProblems.badRequest(List.of(new FieldProblem(e.field(), e.getMessage())), request);
        }
        return ResponseEntity.badRequest().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage()));
    }

    @ExceptionHandler(TooManyRequestsException.class)
    ResponseEntity<ProblemDetail> tooMany(TooManyRequestsException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        problem.setTitle("Too Many Requests");
        // When to try again (RFC 9110 10.2.3): a form's script can say so rather than let the person retry at once.
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(org.springframework.http.HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }
}
