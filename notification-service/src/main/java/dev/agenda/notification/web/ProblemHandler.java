package dev.agenda.notification.web;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

import dev.agenda.support.web.FieldProblemExceptionHandler;
import dev.agenda.support.web.FieldProblems;
import dev.agenda.support.web.PayloadTooLargeException;
import dev.agenda.support.web.FieldProblems.FieldProblem;
import tools.jackson.core.JacksonException;

/**
 * Every API error as application/problem+json (RFC 9457). A request whose fields are wrong gets an {@code errors}
 * list of {@code {field, message}}, one per invalid field, the shape the event-service answers with. These errors
 * only ever describe the request as sent, never a subscriber's state: nothing here tells a known address.
 */
@RestControllerAdvice
class ProblemHandler extends FieldProblemExceptionHandler {

    @ExceptionHandler(InvalidFieldException.class)
    ResponseEntity<Object> invalidField(InvalidFieldException e, WebRequest request) {
        return FieldProblems.badRequest(List.of(new FieldProblem(e.field(), e.getMessage())), request);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(TooManyRequestsException.class)
    ProblemDetail tooMany(TooManyRequestsException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        problem.setTitle("Too Many Requests");
        return problem;
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }


    /** A body Jackson could not read: the field whose value has the wrong type, or not JSON at all. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        PayloadTooLargeException tooLarge = tooLargeCause(ex);
        if (tooLarge != null) {
            return tooLarge(tooLarge, request);
        }
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof JacksonException json && !json.getPath().isEmpty()) {
                return FieldProblems.badRequest(
                        List.of(new FieldProblem(FieldProblems.path(json), "has an invalid value or type")), request);
            }
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is not valid JSON.");
        return FieldProblems.respond(problem, request);
    }

}
