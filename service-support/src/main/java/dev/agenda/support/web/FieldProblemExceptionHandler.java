package dev.agenda.support.web;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.agenda.support.mongo.DatabaseOutages;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The base of each service's exception handler: Spring MVC's problem+json answers, with Bean Validation's errors
 * given as the services' {@link FieldProblems} 400 instead of Spring's own detail text, and an unreachable database
 * as a 503 the client may retry, not a 500.
 */
public abstract class FieldProblemExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(FieldProblemExceptionHandler.class);
    /**
     * Anything no more specific handler answers. MongoDB unreachable or timing out ({@link DatabaseOutages}, however
     * deep in the causes: the driver waits {@code serverSelectionTimeoutMS} for a server first) means the request did
     * nothing and may be sent again, which a 503 with Retry-After says and an "unexpected error" 500 did not. Anything
     * else is a 500, logged with its stack trace. Nothing of the cause reaches the client either way.
     */
    @ExceptionHandler(Exception.class)
    protected ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidParameterException invalid) {
                // Tomcat could not read the query string or form: the client's request, not the service, is wrong.
                // Its own status: 413 for a form over the size limit, 400 otherwise.
                HttpStatus status = HttpStatus.resolve(invalid.getErrorCode());
                boolean tooLarge = status == HttpStatus.CONTENT_TOO_LARGE;
                return FieldProblems.respond(ProblemDetail.forStatusAndDetail(
                        status != null && status.is4xxClientError() ? status : HttpStatus.BAD_REQUEST,
                        tooLarge ? "The request's form is larger than this service accepts."
                                : "The request's parameters cannot be read: a '%' must be followed by two hexadecimal "
                                        + "digits (UTF-8 percent-encoding), and a request holds at most 1,000 "
                                        + "parameters."), request);
            }
        }
        if (DatabaseOutages.isUnavailable(e)) {
            log.warn("{} answered 503, the database is unavailable: {}", describe(request), e.toString());
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "The service is temporarily unavailable; try again in a moment.");
            ResponseEntity<Object> answer = FieldProblems.respond(problem, request);
            return ResponseEntity.status(answer.getStatusCode())
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseOutages.RETRY_AFTER_SECONDS))
                    .body(answer.getBody());
        }
        log.error("Unexpected error on {}", describe(request), e);
        return FieldProblems.respond(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "An unexpected error occurred."), request);
    }

    private static String describe(WebRequest request) {
        return request instanceof ServletWebRequest s ? s.getRequest().getMethod() + " " + s.getRequest().getRequestURI()
                : request.getDescription(false);
    }

    /** A body over the service's limit ({@link BodyLimitFilter}), found while it was being read. */
    @ExceptionHandler(PayloadTooLargeException.class)
    protected ResponseEntity<Object> tooLarge(PayloadTooLargeException e, WebRequest request) {
        return FieldProblems.respond(ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage()),
                request);
    }

    /**
     * A body that could not be read: over the size limit (Jackson wraps the stream's failure in an exception of its
     * own, which has a path, so this is looked for first), a field whose value has the wrong type, or not JSON at
     * all. A service adds its own readings of a cause with {@link #unreadable}.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PayloadTooLargeException tooLarge) {
                return tooLarge(tooLarge, request);
            }
        }
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            FieldProblems.FieldProblem specific = unreadable(t);
            if (specific == null) {
                specific = strictReading(t);
            }
            if (specific != null) {
                return FieldProblems.badRequest(List.of(specific), request);
            }
            if (t instanceof JacksonException json && !json.getPath().isEmpty()) {
                return FieldProblems.badRequest(List.of(new FieldProblems.FieldProblem(FieldProblems.path(json),
                        "has an invalid value or type")), request);
            }
            if (t instanceof MismatchedInputException mismatch) {
                // Valid JSON of another shape ([], "text", 3): calling it invalid JSON sent clients looking for a typo.
                boolean trailing = mismatch.getOriginalMessage() != null
                        && mismatch.getOriginalMessage().startsWith("Trailing token");
                return FieldProblems.respond(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                        trailing ? "The request body must be one JSON object, with nothing after it."
                                : "The request body must be a JSON object."), request);
            }
        }
        if (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")) {
            return FieldProblems.respond(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "The request body must be a JSON object; it is missing (or null)."), request);
        }
        return FieldProblems.respond(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is not valid JSON."), request);
    }

    /** Jackson's words for a field given twice (StreamReadFeature.STRICT_DUPLICATE_DETECTION). */
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate Object property \"(.*)\"");

    /**
     * What a strict reading of JSON refuses (the services' mappers fail on unknown fields and detect duplicate ones):
     * a misspelt field ({@code "category"}) silently dropped turned a subscription to one topic into one to all.
     */
    private static FieldProblems.FieldProblem strictReading(Throwable cause) {
        if (cause instanceof StreamReadException read && read.getOriginalMessage() != null) {
            Matcher duplicate = DUPLICATE.matcher(read.getOriginalMessage());
            if (duplicate.find()) {
                return new FieldProblems.FieldProblem(duplicate.group(1), "is given more than once");
            }
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return new FieldProblems.FieldProblem(FieldProblems.path(unknown), "is not a known field");
        }
        return null;
    }

    /**
     * A service's own reading of one cause of an unreadable body, tried on each cause before the generic "invalid
     * value or type" of a field; null if it has none.
     */
    protected FieldProblems.FieldProblem unreadable(Throwable cause) {
        return null;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return FieldProblems.badRequest(FieldProblems.of(ex), request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return FieldProblems.badRequest(FieldProblems.of(ex), request);
    }
}
