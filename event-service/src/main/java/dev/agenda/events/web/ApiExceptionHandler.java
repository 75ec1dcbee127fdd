package dev.agenda.events.web;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;

import dev.agenda.events.domain.InvalidEventException;
import dev.agenda.events.domain.RequestRefusedException;
import dev.agenda.events.domain.Violation;
import dev.agenda.support.web.FieldProblemExceptionHandler;
import dev.agenda.support.web.FieldProblems;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Every error as {@code application/problem+json} (RFC 9457). Validation problems carry an {@code errors} array with
 * one {@code {field, message}} entry per invalid field. Anything the client sent wrong is a 4xx, never a 500.
 */
@RestControllerAdvice
class ApiExceptionHandler extends FieldProblemExceptionHandler {

    @ExceptionHandler(InvalidEventException.class)
    ResponseEntity<Object> invalid(InvalidEventException e, WebRequest request) {
        return validation(e.violations(), request);
    }

    @ExceptionHandler(RequestRefusedException.class)
    ResponseEntity<Object> refused(RequestRefusedException e, WebRequest request) {
        HttpStatus status = switch (e.reason()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case STALE_REVISION -> HttpStatus.PRECONDITION_FAILED;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
        };
        return problem(status, e.getMessage(), request);
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Object> api(ApiProblem e, WebRequest request) {
        return problem(e.status(), e.getMessage(), request);
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<Object> duplicate(DuplicateKeyException e, WebRequest request) {
        return problem(HttpStatus.CONFLICT, "Another event already uses this slug.", request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e, WebRequest request) {
        return validation(List.of(new Violation(e.getName(), "has an invalid value '" + e.getValue() + "'")),
                request);
    }


    /**
     * A date-time that is not one (StrictJson); a field given twice or unknown is read by service-support, as for every
     * service.
     */
    @Override
    protected FieldProblems.FieldProblem unreadable(Throwable cause) {
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
                && mismatch.getTargetType() == OffsetDateTime.class) {
            return new FieldProblems.FieldProblem(FieldProblems.path(mismatch), StrictJson.DATE_TIME_EXPECTED);
        }
        return null;
    }

    /** A multipart body that cannot be parsed (no boundary, cut short...); a too large one is Spring's 413 (its own handler). */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> badMultipart(MultipartException e, WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "The multipart request body cannot be read: "
                + rootMessage(e), request);
    }

    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(
            org.springframework.web.bind.ServletRequestBindingException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        if (ex instanceof MissingRequestHeaderException missing && missing.getHeaderName().equals("If-Match")) {
            return problem(HttpStatus.PRECONDITION_REQUIRED,
                    "This request needs an If-Match header with the event's current ETag.", request);
        }
        return super.handleServletRequestBindingException(ex, headers, status, request);
    }

    private ResponseEntity<Object> validation(List<Violation> violations, WebRequest request) {
        return FieldProblems.badRequest(violations.stream()
                .map(v -> new FieldProblems.FieldProblem(v.field(), v.message())).toList(), request);
    }

    private ResponseEntity<Object> problem(HttpStatus status, String detail, WebRequest request) {
        return FieldProblems.respond(ProblemDetail.forStatusAndDetail(status, detail), request);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
