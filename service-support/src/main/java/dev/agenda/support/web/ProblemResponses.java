package dev.agenda.support.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem documents (RFC 9457) written outside Spring MVC's exception handling: by security handlers and servlet
 * filters. The members MVC writes, as a map: serialized as a bean by a plain mapper, {@code ProblemDetail} would give
 * {@code "type": null} and {@code "properties": null}.
 */
public final class ProblemResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemResponses() {
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(),
                document(status.value(), status.getReasonPhrase(), detail, request.getRequestURI()));
    }

    /** A problem document for a response written outside Spring (no request URI to name: it may not be readable). */
    static String json(int status, String title, String detail) {
        return JSON.writeValueAsString(document(status, title, detail, null));
    }

    private static Map<String, Object> document(int status, String title, String detail, String instance) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        if (detail != null) {
            problem.put("detail", detail);
        }
        if (instance != null) {
            problem.put("instance", instance);
        }
        return problem;
    }
}
