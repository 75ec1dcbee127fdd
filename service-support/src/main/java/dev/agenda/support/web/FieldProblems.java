package dev.agenda.support.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

import tools.jackson.core.JacksonException;

/**
 * The one shape of a 400 the services answer for a request whose fields are wrong: RFC 9457 problem+json titled
 * "Invalid request", with an {@code errors} list of {@code {field, message}}. A client handles the errors of every
 * service with the same code, so each service's exception handler builds them here.
 */
public final class FieldProblems {

    /** One entry of {@code errors}; a record, so that the JSON has its keys in this order every time. */
    public record FieldProblem(String field, String message) {
    }

    private FieldProblems() {
    }

    /** Bean Validation's errors on a request body, sorted: the validator's order changes from one call to the next. */
    public static List<FieldProblem> of(MethodArgumentNotValidException ex) {
        List<FieldProblem> problems = new ArrayList<>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            problems.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
        }
        ex.getBindingResult().getGlobalErrors()
                .forEach(error -> problems.add(new FieldProblem(error.getObjectName(), error.getDefaultMessage())));
        problems.sort(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message));
        return problems;
    }

    /** Bean Validation's errors on a handler's parameters, named as the parameters. */
    public static List<FieldProblem> of(HandlerMethodValidationException ex) {
        List<FieldProblem> problems = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                problems.add(new FieldProblem(result.getMethodParameter().getParameterName(),
                        error.getDefaultMessage()))));
        return problems;
    }

    /** The field a JSON reading error is about, as the client named it: "categories[0]", "location.address". */
    public static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    public static ResponseEntity<Object> badRequest(List<FieldProblem> problems, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                problems.size() == 1 ? "One field is invalid." : problems.size() + " fields are invalid.");
        problem.setTitle("Invalid request");
        problem.setProperty("errors", List.copyOf(problems));
        return respond(problem, request);
    }

    /** The problem as the answer, its {@code instance} the request's path. */
    public static ResponseEntity<Object> respond(ProblemDetail problem, WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            problem.setInstance(URI.create(servlet.getRequest().getRequestURI()));
        }
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }
}
